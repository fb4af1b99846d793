# whereflow: الصفحات التي يعرضها الخادم (العربية).
# الرسائل التي فيها وسوم (<strong>، <a>) تُدرج كـ HTML: أبقِ الوسوم كما هي.

## الأرقام (منسّق الخادم؛ السكربتات تستخدم Intl.NumberFormat)
number-decimal = .
number-group = ,

## التخطيط
language-label = اللغة
skip-to-content = انتقل إلى المحتوى
nav-label = العروض
nav-home = الرئيسية
nav-flows = التدفّقات
nav-map = الخريطة
nav-alerts = التنبيهات
nav-me = جهازي
nav-presenter = عرض المعلّم
footer-local = كل ما في هذه الصفحات يأتي من هذا الصندوق؛ لا شيء يُحمَّل من الإنترنت.
footer-outlines = حدود الخريطة من Natural Earth
footer-sources = كل مصادر البيانات

## عناوين الصفحات
title-home = إلى أين تذهب بياناتك؟
title-sankey = التدفّقات: من الجهاز إلى البلد
title-map = خريطة العالم
title-presenter = عرض المعلّم
title-me = جهازي
title-alerts = التنبيهات
title-admin = المسؤول
title-takehome = ملخّصي

## كلمات مشتركة
how-to-read = كيف تقرؤه
window-label = الفترة الزمنية
window-1 = 1 دقيقة
window-5 = 5 دقائق
window-15 = 15 دقيقة
window-session = الجلسة
window-mark = منذ العلامة
filter-device = الجهاز
filter-all-devices = كل الأجهزة
legend-label = دليل الألوان
waiting-for-data = في انتظار البيانات…
col-device = الجهاز
col-service = الموقع أو الخدمة
col-company = الشركة
col-country = البلد
col-data = البيانات
col-tracker = المتتبِّع
col-place = المكان
col-devices = الأجهزة
col-mostly = غالبًا
col-companies = الشركات
col-trackers = المتتبِّعات

## الرئيسية
home-title = إلى أين تذهب بياناتك؟
home-lede = كل هاتف وجهاز لوحي وحاسوب محمول على هذا الواي فاي يظل يتحدث مع حواسيب حول العالم، حتى حين لا يلمسه أحد. هذا الصندوق هو الواي فاي المتصلة به، لذا يرى <strong>مع من يتحدث كل جهاز</strong> و<strong>بأي قدر</strong>، ويعرض ذلك هنا مباشرةً.
home-card-flows = من كل جهاز إلى المواقع والخدمات التي يستخدمها، والشركات التي تقف خلفها والبلدان التي توجد فيها.
home-card-map-title = خريطة العالم
home-card-map = خطوط من هنا إلى كل مدينة وبلد ذهبت إليه البيانات.
home-card-me = جهازك وحده: ما الذي استعلم عنه، ومع من تحدّث، وكم متتبِّعًا.
home-card-presenter = لجهاز العرض: كيف تنضم، وأرقام المجموعة كلها بخط كبير.
home-read-title = كيف تقرأ مخطط التدفّق
home-read-1 = اقرأه <strong>من اليسار إلى اليمين</strong>: الأجهزة، ثم المواقع والخدمات التي استخدمتها، ثم الشركة التي تدير كلًّا منها، ثم البلد الذي يوجد فيه الحاسوب الذي أجاب.
home-read-2 = كل شريط ملوّن هو بيانات تسير في ذلك المسار. <strong>كلما كان الشريط أعرض، كانت البيانات أكثر</strong> (أو، إن اخترت «الاتصالات»، كانت الاتصالات المنفصلة أكثر).
home-read-3 = الأشرطة ذات <span class="badge tracker">الخطوط البرتقالية</span> والأسماء المعلَّمة بـ <strong>⚠</strong> تذهب إلى متتبِّعات أو معلنين.
home-read-4 = تُجمع الأشياء الصغيرة في مربع واحد اسمه «أخرى …» لتبقى الصورة مقروءة. الجدول تحت المخطط يسرد أكبر المسارات بالكلمات.
home-read-5 = أشِر إلى مربع أو المسه أو انتقل إليه بمفتاح Tab لتتبع مساراته وحدها. المسه مرة أخرى (أو اضغط Escape) لترى كل شيء.
home-read-6 = الأزرار تختار الوقت: آخر 1 أو 5 أو 15 دقيقة، أو الجلسة كلها.
home-map-title = كيف تقرأ الخريطة
home-map = البيت هو هذا الواي فاي. كل دائرة مكان استقبل بيانات: كلما كبرت الدائرة، كانت البيانات أكثر. الرقم داخلها هو <strong>عدد الأجهزة</strong> التي أرسلت بيانات إليه. لونها والكلمة بجانبها يقولان نوع الخدمة الغالب. الحلقة التي تنبض تعني أن بيانات تذهب إلى هناك <strong>الآن</strong>. الحلقة المتقطعة تعني أن بعض البيانات ذهب إلى متتبِّعات؛ والخط المتقطع يعني أن معظمها ذهب إليها.
home-trackers-title = ما المتتبِّع؟
home-trackers = المتتبِّع خدمة تجمع ما تفعله، غالبًا دون أن تراها: أي تطبيقات تفتح، وأي صفحات تقرأ، وأين أنت، وعلى ماذا تضغط. الشركات القليلة نفسها مدمجة في آلاف التطبيقات والمواقع، لذا يمكنها تتبّع الشخص من واحد إلى آخر وبناء ملف عنه لبيع الإعلانات. تضمّها التطبيقات والمواقع للإعلانات ولقياس طريقة استخدامها.
home-categories-title = أنواع الخدمات
home-counts-as-tracking = يُعدّ تتبّعًا
home-limits-title = ما يستطيع هذا الصندوق رؤيته وما لا يستطيع
home-limits-1 = يرى <strong>الأسماء</strong> التي يستعلم عنها الجهاز (مثل <code>bbc.co.uk</code>) و<strong>الاتصالات</strong> التي يفتحها: إلى أي حاسوب، ومتى، وكم من البيانات.
home-limits-2 = <strong>لا</strong> يرى ما بداخلها: الرسائل وكلمات المرور والصور والصفحات مشفّرة بين الجهاز والخدمة.
home-limits-3 = «لم يُرصد أي DNS» تعني أن جهازًا اتصل دون أن يستعلم عن الاسم عبر هذا الصندوق أولًا: تذكّر العنوان من قبل، أو أن التطبيق فيه العنوان مدمجًا، أو أن الجهاز يستخدم DNS مشفّرًا.
home-limits-4 = البلدان والمدن هي حيث سُجّل الحاسوب الذي أجاب أو حيث يوجد، ويُبحث عنها في قاعدة بيانات على هذا الصندوق. للشركات الكبيرة حواسيب في بلدان كثيرة؛ الخريطة تعرض الذي أجاب.
home-sources-title = مصادر البيانات
home-sources-intro = يُبحث عن كل شيء على هذا الصندوق، من هذه المصادر:
home-sources-error = تعذّرت قراءة قائمة المصادر: { $error }
home-sources-countries = أسماء البلدان
home-sources-countries-from = من حزمة i18n-iso-countries
home-sources-d3 = وtopojson للرسم
home-sources-fluent = للترجمات

## التدفّقات (مخطط التدفّق)
sankey-title = إلى أين تتدفّق البيانات
sankey-lede = من اليسار إلى اليمين: كل جهاز، والمواقع والخدمات التي استخدمها، والشركات التي خلفها، وبلدانها. الأشرطة الأعرض تحمل أكثر.
sankey-metric-label = عرض الشريط يُظهر
sankey-metric-bytes = البيانات
sankey-metric-connections = الاتصالات
sankey-legend-data = بيانات
sankey-legend-tracker = متتبِّع أو إعلانات
sankey-legend-other = «أخرى …» تجمع الصغيرة
sankey-chart-label = مخطط التدفّق: الأجهزة، المواقع، الشركات، البلدان
sankey-empty = لا شيء لعرضه لهذه الفترة بعد. افتح تطبيقًا أو موقعًا على جهاز متصل بهذا الواي فاي، وسيظهر هنا خلال ثوانٍ.
sankey-noscript = المخطط المباشر يحتاج إلى JavaScript. بدونه، تعرض صفحة <a href="/me">جهازي</a> اتصالات جهازك.
sankey-table-caption = أكبر المسارات، بالكلمات

## خريطة العالم
map-title = أين في العالم
map-lede = خطوط من هذا الواي فاي إلى كل مكان أرسلت إليه أجهزته بيانات.
map-home-unset = موقع هذا الصندوق غير محدَّد، لذا لا تُرسم خطوط منه.
map-noscript = الخريطة المباشرة تحتاج إلى JavaScript. بدونها، تسرد صفحة <a href="/me">جهازي</a> البلدان التي تحدّث معها جهازك.
map-legend-home = هذا الواي فاي
map-legend-circle = حجم الدائرة: كمية البيانات · الرقم داخلها: عدد الأجهزة
map-legend-pulse = حلقة: نشط الآن
map-legend-ring = حلقة متقطعة: بعض البيانات ذهب إلى ⚠ متتبِّعات
map-legend-dash = خط متقطع: معظمها ⚠ متتبِّعات
map-colours-label = الألوان
map-table-caption = الأماكن، بالكلمات
map-credits = حدود البلدان: Natural Earth (ملكية عامة).

## عرض المعلّم
presenter-join = 1. انضم إلى الواي فاي
presenter-network = الشبكة
presenter-password = كلمة المرور
presenter-no-wifi = امسح الرمز أدناه بعد الانضمام إلى واي فاي هذا الصندوق. (يظهر رمز QR للواي فاي هنا بعد ضبط <code>wifi.ssid</code> في الإعدادات.)
presenter-open = افتح
presenter-open-why = لترى إلى أين تذهب بيانات جهازك
presenter-https = دخول المسؤول عبر HTTPS:
presenter-certificate = بصمة الشهادة SHA-256
presenter-totals = المجموعة كلها، في هذه الجلسة
presenter-companies = شركات
presenter-countries = بلدان
presenter-tracker-share = من البيانات إلى ⚠ المتتبِّعات والإعلانات
presenter-top-orgs = أبرز الشركات
presenter-per-device = المتتبِّعات لكل جهاز

## أنواع الخدمات (أدلة الألوان، الشارات، شروح الصفحة الرئيسية)
category-advertising = الإعلانات
category-advertising-explain = شركات تختار الإعلانات وتعرضها. لتختار لك إعلانًا تجمع ما تنظر إليه، غالبًا عبر تطبيقات ومواقع كثيرة.
category-analytics = التتبّع والتحليلات
category-analytics-explain = خدمات تقيس ما تفعله في تطبيق أو على موقع: أي صفحات تفتح، وكم تبقى، وعلى ماذا تضغط. كثير منها يتتبّعك من موقع إلى آخر.
category-social = التواصل الاجتماعي
category-social-explain = الشبكات الاجتماعية وتطبيقات المراسلة: المنشورات والصور والمحادثات، والأزرار وخيارات تسجيل الدخول التي تضعها في تطبيقات أخرى.
category-video = الفيديو والترفيه
category-video-explain = الفيديو والموسيقى والألعاب والأخبار: ما تشاهده أو تلعبه أو تستمع إليه أو تقرؤه.
category-cdn = شبكة توصيل
category-cdn-explain = شبكات التوصيل والاستضافة: مراكز حواسيب كبيرة تخزّن الصور والفيديوهات والبرمجيات وتوزّعها لشركات كثيرة، قريبًا منك ليكون التحميل سريعًا.
category-platform = خدمات المنصّات
category-platform-explain = خدمات يومية للهاتف أو الحاسوب وللمنصّات الكبيرة: البحث والحسابات والبريد والخرائط ومتاجر التطبيقات والتحديثات والتخزين السحابي والدفع.
category-other = أخرى
category-other-explain = شركة معروفة لا تناسب خدمتها أيًّا من المجموعات الأخرى، مثل مساعدة الدردشة أو لافتات ملفات تعريف الارتباط.

## أنواع التنبيهات
alert-kind-dns_tunnel = بيانات مخفية في DNS
alert-kind-dns_tunnel-explain = استعلم جهاز عن أسماء كثيرة طويلة أو عشوائية المظهر أو جديدة دائمًا تحت نطاق واحد. يمكن تهريب البيانات مخفيةً في استعلامات DNS كهذه.
alert-kind-scan = مسح
alert-kind-scan-explain = جرّب جهاز (أو مضيف خارجي) منافذ كثيرة أو مضيفين كثيرين في وقت قصير، كما يفعل من يبحث عن طريق للدخول.
alert-kind-spoofing = انتحال العناوين
alert-kind-spoofing-explain = ادّعى جهاز عنوانًا يخص جهازًا آخر أو هذا الصندوق: ربما يحاول قراءة حركة بيانات الآخرين.
alert-kind-upload = رفع كبير
alert-kind-upload-explain = أرسل جهاز بيانات أكثر بكثير من المعتاد: ربما تخرج منه ملفات أو صور أو تسجيلات.
alert-kind-deny_list = وجهة مُدرجة
alert-kind-deny_list-explain = ذهب اتصال إلى بلد أو شركة أو اسم في قائمة الحظر لهذا الصندوق (أو ليس في قائمة السماح).
alert-kind-encrypted_dns = DNS مشفّر
alert-kind-encrypted_dns-explain = استعلم جهاز عن الأسماء متجاوزًا هذا الصندوق (DNS مشفّر)، لذا لا يمكن عرض الأسماء التي يزورها هنا.

## أعمدة الجداول (المزيد)
col-kind = النوع
col-where = أين
col-sent = المُرسَلة
col-received = المُستقبَلة
col-connections = الاتصالات
col-minute = الدقيقة
col-new-connections = اتصالات جديدة
col-lookups = أسماء مُستعلَم عنها

## جهازي (/me)
me-only-this = تعرض هذه الصفحة الجهاز الذي فتحها، وذلك الجهاز وحده.
me-address = العنوان
me-you-are = أنت
me-for-session = في هذه الجلسة. على الشاشة الكبيرة:
me-made-by = من صنع { $vendor }.
me-private-mac = يستخدم عنوان واي فاي خاصًّا (عشوائيًّا)، لذا صانعه غير معروف.
me-hostname = يسمّي نفسه «{ $name }».
me-unknown = لا شيء من هذا الجهاز بعد. افتح عليه تطبيقًا أو موقعًا ثم عُد: سيظهر هنا خلال ثوانٍ. (تعرض هذه الصفحة الجهاز الذي فُتحت عليه؛ على واي فاي آخر لا يوجد ما تعرضه.)
me-nickname-locked = قفل المعلّم الاسم المستعار لهذا الجهاز: لا يمكن تغييره في هذه الجلسة.
me-nickname-label = الاسم المستعار (ما يراه الجميع على الشاشة الكبيرة)
me-nickname-placeholder = مثلًا: هاتف سارة
me-save = حفظ
me-privacy-on = وضع الخصوصية مفعّل: يرى الآخرون جهازك داخل «أجهزة أخرى» فقط، ولا يرون اسمه أبدًا.
me-privacy-off = يستطيع كل من على هذا الواي فاي رؤية اتصالات هذا الجهاز في مخطط التدفّق وعلى الخريطة، تحت ذلك الاسم (لا اسم الجهاز الحقيقي ولا عنوانه أبدًا). اسمك المستعار يحل محله؛ والجلسة الجديدة تبدأ بدونه.
me-takehome = <a href="/me/takehome">ملخّصي</a>: صفحة للطباعة أو الحفظ كملف PDF، مع بياناتك للتنزيل (CSV، JSON).
me-fig-sent = مُرسَلة
me-fig-received = مُستقبَلة
me-fig-trackers = ⚠ متتبِّعات
me-fig-companies = شركات
me-fig-countries = بلدان
me-alerts-title = تنبيهات عن هذا الجهاز
me-alerts-none = لم يُرَ شيء غير عادي من هذا الجهاز.
me-alerts-what = ما الذي تبحث عنه أدوات الكشف: <a href="/alerts#kinds-h">صفحة التنبيهات</a>.
me-detectors-off = أدوات الكشف متوقفة على هذا الصندوق.
me-orgs-title = الشركات التي تحدّث معها
me-countries-title = البلدان
me-timeline-title = ما استعلم عنه، الأحدث أولًا
me-timeline-note = كل اسم طلبه الجهاز من هذا الواي فاي.
me-forget-title = انسَ هذا الجهاز
me-forget-confirm = نعم، احذف اتصالات هذا الجهاز واستعلاماته واسمه المستعار من هذا الصندوق
me-forget-button = انسَ جهازي
me-refused-title = لم يُحفظ
me-back = عودة إلى جهازك
me-not-changed = لم يتغيّر: { $why }.
me-nickname-refused = لا يمكن استخدام هذا الاسم المستعار: { $why }.
me-forget-unticked = ضع علامة في المربع لتأكيد حذف بيانات هذا الجهاز.
me-forget-failed = تعذّر حذف كل شيء بعد: { $why }. حاول مرة أخرى.
me-form-refused = تعذّر التحقق من هذا النموذج: { $why }. أعد تحميل الصفحة وحاول مرة أخرى.

## ملخّصي (/me/takehome)
th-back = → عودة إلى جهازك
th-download = نزّل بياناتك:
th-csv = CSV (جدول بيانات)
th-print = للاحتفاظ بهذه الصفحة على الورق أو كملف PDF، استخدم «طباعة» في متصفحك.
th-title = إلى أين ذهبت بياناتي
th-in-session = في هذه الجلسة
th-made = أُنشئ { $when }
th-fig-tracker-companies = شركات تتبّع
th-companies-title = الشركات التي تحدّث معها جهازي
th-no-connections = لم تُرَ أي اتصالات من هذا الجهاز.
th-unknown-kind = نوع غير معروف
th-tracker = (متتبِّع)
th-countries-title = البلدان التي ذهبت إليها بياناتي
th-no-country = لا يُعرف بلد لاتصالات هذا الجهاز.
th-trackers-title = المتتبِّعات، وما تفعله
th-no-trackers = لم تُرَ أي شركة إعلانات أو تتبّع من هذا الجهاز.
th-minutes-title = أكثر دقائقي نشاطًا
th-no-traffic = لم تُرَ أي حركة بيانات من هذا الجهاز.
th-spread = بيانات الاتصال الطويل موزّعة بالتساوي على الدقائق التي كان مفتوحًا فيها.
th-marks-title = علامات الدرس
th-marks-note = ما طُلب من الصف فعله، ومتى.
th-note = أنشأ هذا الملخّص صندوق whereflow الموجود في الغرفة، مما رآه من هذا الجهاز خلال الجلسة؛ لم يُرسَل شيء إلى أي مكان لإنشائه.
th-in-downloads = { $lookups ->
    [zero] لا أسماء مُستعلَم عنها
    [one] اسم واحد مُستعلَم عنه
    [two] اسمان مُستعلَم عنهما
    [few] { $lookups } أسماء مُستعلَم عنها
    [many] { $lookups } اسمًا مُستعلَمًا عنه
   *[other] { $lookups } اسم مُستعلَم عنه
} و{ $flows ->
    [zero] لا اتصالات
    [one] اتصال واحد
    [two] اتصالان
    [few] { $flows } اتصالات
    [many] { $flows } اتصالًا
   *[other] { $flows } اتصال
} في التنزيلات.
th-listed-kind = إعلانات أو تتبّع
th-listed-explain = مُدرج كخادم إعلانات أو تتبّع في قوائم الحظر العامة (EasyList، EasyPrivacy): يجمع ما تفعله، غالبًا عبر تطبيقات ومواقع كثيرة.
th-not-yours-title = ليس جهازك
th-not-yours = هذا ملخّص جهاز آخر. لا يفتحه إلا ذلك الجهاز نفسه، أو المعلّم بعد تسجيل الدخول في صفحة المسؤول.
th-bad-device-title = ليس عنوانًا
th-bad-device = القيمة device= ليست عنوانًا.

## التنبيهات (/alerts)
alerts-lede = ما لاحظته أدوات الكشف في هذا الصندوق في حركة البيانات: بيانات مخفية في DNS، مسح، انتحال العناوين، رفع كبير، وجهات مُدرجة وDNS مشفّر. الأحدث أولًا.
alerts-lede-privacy = وضع الخصوصية مفعّل: ترى تنبيهات جهازك فقط.
alerts-kind = النوع
alerts-all-kinds = كل الأنواع
alerts-device = الجهاز
alerts-all-devices = كل الأجهزة
alerts-show = اعرض
alerts-admin-can = يستطيع المسؤول تجاهل تنبيه لمدة ساعة بعد تسجيل الدخول في <a href="/admin">صفحة المسؤول</a>.
alerts-off = أدوات الكشف متوقفة على هذا الصندوق (<code>detect.enabled = false</code> في إعداداته)، لذا لا توجد تنبيهات.
alerts-kinds-title = ماذا تعني الأنواع
alerts-privacy-notice = وضع الخصوصية مفعّل: تعرض هذه الصفحة تنبيهات جهازك فقط.
alerts-ignored-notice = تم التجاهل لمدة ساعة: تنبيهات هذا النوع لهذا الجهاز (والنطاق) لن تُطلق مجددًا حتى ذلك الحين.
alerts-no-such-kind = لا يوجد نوع تنبيه اسمه «{ $kind }»: تُعرض كل الأنواع.
alerts-no-such-device = «{ $device }» ليس عنوان جهاز: تُعرض كل الأجهزة.
alerts-not-ignored = لم يُتجاهَل
alerts-back = عودة إلى التنبيهات
alerts-detectors-off = أدوات الكشف متوقفة (detect.enabled = false).

## العلامات والخط الزمني للجلسة (عرض المعلّم، التدفّقات، الخريطة)
marks-title = العلامات
unit-new-connections = اتصالات جديدة
unit-lookups = أسماء مُستعلَم عنها

## صفحة المسؤول، قبل تسجيل الدخول
admin-off-title = صفحات المسؤول متوقفة
admin-off-1 = لم تُضبط كلمة مرور للمسؤول. لتفعيلها، افتح ملف الإعدادات (<code>whereflow-settings.toml</code> على قسم الإقلاع في بطاقة SD؛ يمكن تعديله من أي حاسوب محمول) وأضف:
admin-off-example = كلمة مرور من 8 أحرف على الأقل
admin-off-2 = ثم أعد تشغيل الصندوق. في أول تشغيل يستبدل whereflow كلمة المرور في الملف ببصمتها (<code>password_hash = "$argon2id$..."</code>)، فلا يعود الملف يُظهرها.
admin-login-title = تسجيل الدخول
admin-login-what = هنا يبدأ من يدير الجلسة جلسات جديدة، ويحظر المتتبِّعات والإعلانات والوجهات، وينهي الاتصالات، ويصدّر ما سُجّل ويحدّد مدة الاحتفاظ به.
admin-plain-http = <strong>وصلت هذه الصفحة عبر HTTP عادي.</strong> على واي فاي WPA2 يستطيع كل من يعرف كلمة مرور الواي فاي قراءة ما يرسله الآخرون إن رآهم ينضمون، لذا قد تُقرأ أيضًا كلمة مرور المسؤول المكتوبة هنا.
admin-https-there = سجّل الدخول من <a href="{ $url }">{ $url }</a> بدلًا من ذلك (يحذّر المتصفح من الشهادة مرة واحدة: الشهادة صحيحة إن كانت بصمتها SHA-256 هي <code>{ $fingerprint }</code>، وهي أيضًا في عرض المعلّم).
admin-https-none = اضبط <code>web.https_listen</code> لتسجيل الدخول عبر HTTPS، أو سجّل الدخول عبر اتصال سلكي أو من الصندوق نفسه.
admin-password = كلمة مرور المسؤول
admin-login-button = تسجيل الدخول
admin-login-empty = أدخل كلمة مرور المسؤول.
admin-login-wrong = كلمة المرور خاطئة.
admin-login-too-many-device = كلمات مرور خاطئة كثيرة من هذا الجهاز: حاول مجددًا بعد { $seconds ->
    [few] { $seconds } ثوانٍ
   *[other] { $seconds } ثانية
}.
admin-login-too-many-all = كلمات مرور خاطئة كثيرة على هذا الصندوق: حاول مجددًا بعد { $seconds ->
    [few] { $seconds } ثوانٍ
   *[other] { $seconds } ثانية
}.
admin-login-busy = يجري التحقق من تسجيل دخول من هذا الجهاز: حاول مجددًا.
admin-login-recovery = أُغلق الدخول عليك كمسؤول؟ اكتب رمز الاسترداد لمرة واحدة ككلمة مرور: تجده في whereflow-problems.txt على قسم الإقلاع في بطاقة SD وفي سجل وحدة التحكم للصندوق.
admin-logged-out = تم تسجيل الخروج.
presenter-qr-wifi = رمز QR للانضمام إلى شبكة الواي فاي { $ssid }
presenter-qr-open = رمز QR لفتح { $url }

## ملف مشكلات الإقلاع (whereflow-problems.txt)
problems-title = لا يستطيع whereflow استخدام ملف الإعدادات ({ $file }).
problems-heading = المشكلات:
problems-fallback = إلى أن تُصلَح، يشغّل الصندوق شبكة واي فاي للإعداد:
problems-ssid = اسم الشبكة (SSID):
problems-passphrase = كلمة مرور الواي فاي:
problems-fix =
    بعد الانضمام إليها، يسرد { $status } هذه المشكلات أيضًا. لإصلاحها،
    ضع بطاقة SD في أي حاسوب، وافتح { $file } على قسم الإقلاع فيها
    بمحرّر نصوص، وصحّح الأسطر المذكورة أعلاه، ثم شغّل الصندوق من جديد.
problem-missing = مفقود: ضعه على قسم الإقلاع في بطاقة SD باسم { $path } (النموذج في الصورة يسرد كل الإعدادات)
problem-unreadable = تتعذّر قراءته: { $why }
problem-ssid-unset = غير مضبوط: اسم شبكة الواي فاي التي ينضم إليها الناس (من 1 إلى 32 بايت)
problem-security-open = «open» غير متاح: يستطيع أي شخص قريب الانضمام ومراقبة حركة بيانات الجميع؛ استخدم «auto» أو «wpa2» أو «wpa3» أو «wpa2-wpa3»
problem-passphrase-unset = غير مضبوطة: اختر من 8 إلى 63 حرفًا (أحرف، أرقام، مسافات، علامات ترقيم) يكتبها الناس للانضمام
problem-country-unset = غير مضبوط: رمز البلد المكوّن من حرفين حيث يوجد الصندوق (مثل DE، FR، GB، US)؛ يحدّد القنوات التي يمكن للراديو استخدامها
problem-wpa3-unsupported = «wpa3» تحتاج إلى شريحة واي فاي تدعم SAE وإطارات الإدارة المحمية كنقطة وصول، وهذه الشريحة لا تدعمها: استخدم «auto» (WPA2/WPA3 حيث تستطيع الشريحة) أو «wpa2»
problem-radio-missing = لا يوجد راديو واي فاي باسم { $name } (الموجود: { $found }): صِل المحوّل، أو استخدم «auto»
problem-radio-missing-none = لا يوجد راديو واي فاي باسم { $name }، ولا أي راديو واي فاي آخر: صِل المحوّل، أو استخدم «auto»
problem-radio-no-ap = { radio-name } لا يمكن أن يكون نقطة وصول (برنامج تشغيله لا يوفّر وضع AP): استخدم محوّلًا آخر (انظر القائمة في README) أو «auto»
problem-radio-none = لم يُعثر على أي راديو واي فاي: هل المحوّل موصول، وبرنامج تشغيله وبرنامجه الثابت موجودان في الصورة؟
problem-radio-only-uplink = راديو الواي فاي الوحيد ({ $radios }) هو الاتصال بالإنترنت عبر الواي فاي: نقطة الوصول تحتاج إلى راديو ثانٍ (محوّل واي فاي USB، انظر README)، أو استخدم اتصالًا عبر Ethernet أو USB
problem-radio-none-ap = لا يوجد هنا راديو واي فاي يمكن أن يكون نقطة وصول ({ $radios }): صِل محوّلًا يستطيع ذلك (انظر القائمة في README)
problem-with-defaults = { $why } (مع إضافة الإعدادات الافتراضية للصندوق)

## أسباب من داخل صفحات الرفض (web/reasons.rs)
reason-cross-site = جاء الطلب من موقع آخر
reason-form-cookie-missing = ملف تعريف الارتباط الأمني للنموذج مفقود
reason-form-token-mismatch = الرمز الأمني للنموذج غير مطابق
reason-admin-token = الرمز الأمني مفقود أو خاطئ: أعد تحميل صفحة المسؤول وحاول مجددًا
reason-login-required = يلزم تسجيل دخول المسؤول: سجّل الدخول في /admin
reason-admin-off = صفحات المسؤول متوقفة: اضبط admin.password في ملف الإعدادات ثم أعد التشغيل
login-required-title = يلزم تسجيل دخول المسؤول
login-go-admin = اذهب إلى صفحة المسؤول
not-found-title = لا شيء هنا
not-found-text = هذا العنوان غير موجود على هذا الصندوق. تحقّق من الكتابة، أو ابدأ من جديد من الصفحة الرئيسية.
not-found-home = اذهب إلى الصفحة الرئيسية
not-found-api = لا يوجد عنوان كهذا في هذه الواجهة البرمجية (API)
reason-nickname-empty = الاسم المستعار فارغ
reason-nickname-too-long = الاسم المستعار أطول من { $max } حرفًا
reason-nickname-control = الاسم المستعار يحتوي على محارف تحكّم أو علامات اتجاه النص
reason-nickname-invisible = الاسم المستعار يحتوي على محرف غير مرئي
reason-nickname-marks = الاسم المستعار يكدّس حركات كثيرة جدًا على حرف واحد
reason-nickname-not-text = الاسم المستعار ليس نصًّا صالحًا (UTF-8)
reason-nickname-rude = اختر اسمًا مستعارًا ألطف من فضلك
reason-nickname-locked = قفل المعلّم الاسم المستعار لهذا الجهاز في هذه الجلسة
reason-no-history = السجل لا يُحفظ على هذا الصندوق (انظر /api/v1/status)
reason-busy = الصندوق مشغول؛ حاول مجددًا بعد لحظة

## المسؤول

adm-logged-in-until = مسجّل الدخول حتى { $time }.
adm-logout = تسجيل الخروج
adm-warnings = تحذيرات
adm-wifi = الواي فاي
adm-wifi-radio = الراديو الذي يخدم الغرفة
adm-wifi-ap = نقطة الوصول
adm-wifi-associated = الأجهزة المتّصلة
adm-wifi-capacity = السعة
adm-wifi-uplink = الاتصال بالإنترنت
adm-wifi-portal = فحص الإنترنت
adm-wifi-joined = كيف انضمّ كل جهاز
adm-wifi-joined-what = يُبقي WPA3 بيانات الجهاز خاصة حتى عن الآخرين الذين يعرفون كلمة مرور الواي فاي. أما مع WPA2 فيستطيع كل من يعرف كلمة مرور الواي فاي ورأى الجهاز ينضمّ أن يقرأ بياناته.
adm-col-device = الجهاز
adm-col-wifi-security = انضمّ عبر
adm-wifi-wpa3 = WPA3
adm-wifi-wpa2 = WPA2
adm-wifi-open = مفتوحة (بلا تشفير)
adm-wifi-unknown = غير معروف
adm-login-wpa2 = انتبه: انضمّ هذا الجهاز إلى الواي فاي عبر WPA2. مع WPA2 يستطيع كل من يعرف كلمة مرور الواي فاي ورأى هذا الجهاز ينضمّ أن يقرأ ما يرسله، بما في ذلك كلمة مرور المسؤول التي تكتبها هنا. سجّل الدخول من جهاز انضمّ عبر WPA3، أو عبر HTTPS، أو عبر كابل.
adm-controls = أدوات التحكّم
adm-controls-off = أدوات التحكّم معطّلة في هذا الصندوق (<code>[control] enabled = false</code> في ملف الإعدادات).
adm-nft-error = الحظر حسب العنوان لا يعمل الآن: { $error }
adm-dns-title = حظر المتتبِّعات والإعلانات
adm-dns-what = ما دام هذا مفعّلًا، يجيب الصندوق عن كل استعلام لاسم إعلان أو تتبّع (التي تظهر بالأحمر في العروض) بعنوان لا يؤدّي إلى أي مكان، فتتوقّف تلك الاتصالات عن الظهور. يحتفظ الجهاز بالأسماء التي استعلم عنها من قبل لبضع دقائق، وتبقى الاتصالات المفتوحة مفتوحة حتى تنتهي.
adm-dns-on-all = مفعّل للجميع.
adm-dns-off-all = معطّل للجميع.
adm-dns-turn-off-all = عطّله للجميع
adm-dns-turn-on-all = فعّله للجميع
adm-dns-on-for = مفعّل لهذه الأجهزة:
adm-turn-off = عطّل
adm-dns-one-device = جهاز واحد فقط (عنوانه)
adm-dns-device-example = مثلًا 10.42.0.23
adm-dns-turn-on-device = فعّله لهذا الجهاز
adm-dns-blocked-count = الاستعلامات التي أُجيب عنها بالحظر منذ تشغيل الصندوق: { $count }.
adm-block-title = حظر بلد أو شركة أو عنوان
adm-block-what = تُرفض الاتصالات بأي وجهة محظورة. يُحظر البلد أو الشركة عبر العناوين التي ظهرت له: الموجودة في العروض الآن، وكل عنوان جديد فور اتصال جهاز به (يُقطع ذلك الاتصال الأول بعد لحظة من بدئه).
adm-col-kind = النوع
adm-col-blocked = المحظور
adm-col-addresses-blocked = العناوين المحظورة
adm-kind-country = بلد
adm-kind-org = شركة
adm-kind-ip = عنوان
adm-remove = إزالة
adm-block = حظر
adm-block-country = بلد (رمز من حرفين، مثلًا NL)
adm-block-org = شركة (كما تسمّيها العروض، مثلًا Meta)
adm-block-ip = عنوان
adm-block-value = رمز البلد أو اسم الشركة أو العنوان
adm-open-title = الاتصالات المفتوحة
adm-open-none = لا توجد اتصالات مفتوحة الآن.
adm-open-what = إنهاء الاتصال يقطعه فورًا؛ وقد يفتح الجهاز اتصالًا جديدًا.
adm-open-ended = أُنهي حتى الآن: { $count }.
adm-col-to = إلى
adm-col-org = الشركة
adm-tracker = متتبِّع
adm-end = إنهاء
adm-protocol = البروتوكول { $number }
adm-projector = شاشة العرض
adm-projector-what = ما تعرضه العروض الجماعية (مخطط التدفّق، الخريطة، عرض المعلّم، قائمة الأجهزة). الأجهزة والمواقع المخفية تبقى محسوبة في المجاميع باسم «أجهزة مخفية» و«موقع مخفي». صفحة الجهاز نفسه تعرض له كل شيء دائمًا. كل قاعدة تبقى طوال هذه الجلسة؛ ويمكنك التراجع عنها في أي وقت.
adm-names-are-off = الأسماء <strong>مخفية</strong>: لا تعرض شاشة العرض إلا الأسماء المستعارة المولَّدة.
adm-names-on = إظهار الأسماء
adm-names-are-on = الأسماء ظاهرة: تظهر الأسماء المستعارة التي اختارها الطلاب على شاشة العرض.
adm-names-off = إخفاء الأسماء (أسماء مستعارة مولَّدة فقط)
adm-col-on-projector = على شاشة العرض
adm-hide = إخفاء
adm-clear-nickname = مسح الاسم المستعار
adm-lock-nickname = قفل الاسم المستعار
adm-hide-domain = موقع (نطاق، مثلًا example.com)
adm-hide-nickname = اسم مستعار (على أي جهاز)
adm-hide-device = جهاز (عنوانه)
adm-hide-value = النطاق أو الاسم المستعار أو العنوان
adm-rules = القواعد السارية
adm-undo = تراجع
adm-rule-device = الجهاز { $name }
adm-rule-device-gone = جهاز غير متّصل الآن
adm-rule-nickname = الاسم المستعار «{ $name }»
adm-rule-website = الموقع { $name }
adm-rule-all = كل الأسماء (الأسماء مخفية)
adm-rule-hidden = مخفي: { $what }
adm-rule-cleared = مُسح الاسم المستعار: { $what }
adm-rule-locked = قُفل الاسم المستعار: { $what }
adm-sessions = الجلسات
adm-no-history = السجلّ لا يُحفظ في هذا الصندوق، لذا لا توجد جلسات لعرضها أو تصديرها (انظر التحذيرات في <a href="/api/v1/status">صفحة الحالة</a>).
adm-sessions-what = الجلسة هي حصة أو ورشة واحدة: كل ما سُجّل بين بدايتها وبداية الجلسة التالية. الملفات المصدَّرة تفتحها جداول البيانات (CSV، جدول واحد لكل ملف) أو ملف JSON فيه كل شيء. قوائم الأجهزة تسمّي الأجهزة بالعنوان واسم المضيف والاسم المستعار؛ ولا تحتوي أبدًا على عناوين MAC.
adm-col-session = الجلسة
adm-col-started = البداية
adm-col-ended = النهاية
adm-col-export = التصدير والإعادة
adm-current = الحالية
# جلسة بلا اسم: $started وقت بدايتها.
adm-session-unnamed = جلسة { $started }
adm-export-report = تقرير لكل مضيف (CSV)
adm-export-flows = التدفّقات (CSV)
adm-export-devices = الأجهزة (CSV)
adm-export-dns = إجابات DNS (CSV)
adm-export-json = كل شيء (JSON)
adm-replay = إعادة العرض:
adm-replay-sankey = على مخطط التدفّق
adm-replay-map = على الخريطة
adm-delete = حذف
adm-new-session = بدء جلسة جديدة
adm-new-session-what = تبدأ العروض فارغة؛ وتستمرّ الاتصالات المفتوحة في الجلسة الجديدة.
adm-session-name = الاسم
adm-session-name-example = مثلًا الصف 7ب، الثلاثاء
adm-current-session = الجلسة الحالية
adm-keep-it = احتفظ بها (يمكن تصديرها لاحقًا)
adm-delete-it = احذفها
adm-keep-nicknames = احتفظ بالأسماء المستعارة للأجهزة (وإلا يبدأ الجميع باسم مستعار مولَّد جديد وبلا اسم مختار)
adm-start-session = ابدأ جلسة جديدة
adm-settings = الإعدادات
adm-retention = الاحتفاظ بالسجلّ لمدة (أيام)
adm-max-db = أقصى حجم لقاعدة البيانات (MB)
adm-db-now = الآن { $size }
adm-no-database = لا توجد قاعدة بيانات
adm-default-old = عند بدء جلسة جديدة، افتراضيًا
adm-keep-old = احتفظ بالقديمة
adm-delete-old = احذف القديمة
adm-save-settings = حفظ الإعدادات
adm-config-file = تُحفظ الإعدادات في { $file }.
adm-config-none = لا يوجد ملف إعدادات: الإعدادات المغيَّرة هنا تبقى حتى إعادة التشغيل التالية.
adm-backup = النسخة الاحتياطية
adm-backup-what = تحتوي النسخة الاحتياطية على الإعدادات أعلاه، والأسماء المستعارة للأجهزة (مع عناوين MAC: بيانات شخصية، فاحفظ الملف في مكان آمن)، وحظر DNS وعمليات الحظر، والتنبيهات المتجاهَلة السارية، وقواعد شاشة العرض. ولا تحتوي على كلمة مرور المسؤول ولا رمز المقاييس ولا كلمة مرور الواي فاي إلا إذا طلبتها.
adm-backup-download = تنزيل نسخة احتياطية
adm-backup-download-secrets = تنزيل نسخة احتياطية مع الأسرار
adm-restore-what = استعادة نسخة احتياطية (تُفحص كاملة أولًا؛ لا يتغيّر شيء إذا رُفض أي جزء):
adm-restore-file = الملف
adm-restore-paste = أو محتواه ملصوقًا
adm-restore = استعادة
adm-done-started = بدأت جلسة جديدة.
adm-done-deleted = حُذفت الجلسة.
adm-done-settings = حُفظت الإعدادات.
adm-done-settings-runtime = تغيّرت الإعدادات حتى إعادة التشغيل التالية (تعذّرت كتابة ملف الإعدادات).
adm-done-dns-block = تغيّر حظر DNS للمتتبِّعات والإعلانات.
adm-done-blocked = تمّ الحظر.
adm-done-unblocked = أُزيل الحظر.
adm-done-killed = أُنهي الاتصال.
adm-done-group-view = تغيّرت قواعد شاشة العرض.
adm-done-group-view-undone = تمّ التراجع.
adm-refused = مرفوض: { $why }.
adm-incomplete-form = النموذج غير مكتمل: لم يتغيّر شيء.
adm-failed = لم ينجح ذلك: { $error }
adm-restored = استُعيدت النسخة الاحتياطية.
# راديو واي فاي: واجهته وتعريفه وناقله ($bus: usb, sdio, pci, other؛ unknown: الواجهة فقط
# معروفة؛ $driver "none": بلا تعريف). يُستخدم داخل رسائل الراديو.
radio-name = { $bus ->
        [unknown] { $interface }
       *[other] { $interface } ({ $driver ->
            [none] بلا تعريف
           *[other] { $driver }
        }، { $bus ->
            [usb] USB
            [sdio] مدمج في اللوحة (SDIO)
            [pci] PCI
           *[other] ناقل افتراضي أو غير معروف
        })
    }
adm-wifi-chip = { $radio }، الشريحة { $chip }
adm-wifi-gone = { $radio }: اختفى (فُصل، أو توقّف تعريفه)
adm-ap-running = يعمل (hostapd: ENABLED)
adm-ap-not-running = لا يعمل (hostapd: { $state })
adm-ap-silent = hostapd لا يجيب
adm-assoc-auth = { $count } ({ $authorized } منها أتمّت مصافحة WPA؛ حسب hostapd)
adm-assoc = { $count } (حسب hostapd)
adm-assoc-unknown = غير معروف (hostapd لا يجيب)
adm-capacity = نحو { $stations } ({ $basis })
adm-capacity-unknown = غير معروفة لهذا التعريف
adm-room-full = ممتلئ: عدد الأجهزة { $count }، أي نحو ما يستوعبه الراديو ({ $stations }). قد لا يتمكّن الجهاز التالي من الاتصال؛ ويعرض عرض المعلّم «الغرفة ممتلئة». محوّل واي فاي USB يستوعب أكثر (انظر README).
adm-room-nearly = يكاد يمتلئ: عدد الأجهزة { $count } من نحو { $stations } ({ $percent } %).
adm-uplink-wifi = { $interface } ينضمّ إلى شبكة الواي فاي «{ $ssid }»: { $state }
adm-uplink-joined = منضمّ (wpa_supplicant: COMPLETED)
adm-uplink-joining = لم ينضمّ بعد (wpa_supplicant: { $state })
adm-uplink-silent = wpa_supplicant لا يجيب
adm-uplink-cable = { $interface } (كابل أو USB)
adm-portal-unchecked = لم يُفحص بعد (أو uplink.probe_url فارغ)
adm-portal-open = الإنترنت يجيب
# ما أجاب عن فحص بوابة تسجيل الدخول ($kind: redirect أو page أو status)، داخل
# adm-portal-captive و status-uplink-portal.
portal-answer = { $kind ->
        [redirect] إعادة توجيه ({ $code }) إلى { $to }
        [page] صفحة ({ $code }) بدل الإجابة الفارغة 204
       *[other] الحالة { $code } بدل 204
    }
adm-portal-captive = شبكة المدرسة تطلب تسجيل الدخول (تلقّى الفحص { portal-answer }): افتح أي صفحة ويب على جهاز منضمّ إلى هذا الواي فاي وسجّل الدخول هناك
adm-portal-unreachable = لا إجابة ({ $why })

## تحذيرات الحالة
# تحذيرات البرنامج التي تبقى ما دامت الحالة قائمة (/api/v1/status `warnings_words`،
# وصفحة المسؤول). المعطيات أسماء وعناوين وكلمات برامج أخرى كما وصلت.
status-history-off = السجلّ لا يُحفظ (data.dir { $dir }): { $error }
status-history-failing = السجلّ لا يُحفظ: تتعذّر الكتابة في قاعدة البيانات ({ $error })؛ إعادة المحاولة كل 2 s، ويُهمَل السجلّ الجديد ما دامت قائمة الانتظار ممتلئة (عدّادات "history")؛ يستمرّ DNS والعروض المباشرة في العمل
status-export-unreachable = جامع IPFIX { $url } لا يمكن الوصول إليه ({ $error })؛ تُهمَل سجلّات التدفّق المرسلة إليه حتى يجيب
status-wifi-monitor-off = تعذّر تشغيل مراقب الواي فاي: { $error }
status-wifi-radio-gone = راديو الواي فاي { radio-name } اختفى (فُصل، أو توقّف تعريفه): لا تستطيع الأجهزة الانضمام حتى يعود؛ أعد توصيله وأعد تشغيل الصندوق. كل شيء آخر يستمرّ في العمل
status-wifi-ap-stopped = نقطة الوصول على { radio-name } لا تعمل (حالة hostapd هي { $state }): قد يرفض الراديو البلد (wifi.country) أو القناة؛ انظر /run/hostapd.log
status-wifi-ap-silent = hostapd لا يجيب عن { $interface } ({ $error }): قد لا تكون نقطة الوصول تعمل؛ انظر /run/hostapd.log
status-wifi-room-full = الغرفة ممتلئة: عدد الأجهزة { $associated } على { radio-name }، الذي يستوعب نحو { $capacity }؛ قد لا يتمكّن جهاز آخر من الاتصال (محوّل واي فاي USB يستوعب أكثر، انظر README)
status-wifi-room-nearly = الغرفة تكاد تمتلئ: عدد الأجهزة { $associated } على { radio-name }، الذي يستوعب نحو { $capacity }
status-uplink-wrong-key = شبكة الواي فاي للاتصال بالإنترنت «{ $ssid }» رفضت كلمة المرور: تحقّق من uplink.wifi_passphrase في ملف الإعدادات (نقطة الوصول تستمرّ في العمل)
status-uplink-not-found = شبكة الواي فاي للاتصال بالإنترنت «{ $ssid }» ليست في النطاق (لا تجيب أي نقطة وصول بهذا الاسم): تحقّق من uplink.wifi_ssid، أو قرّب الصندوق
status-uplink-conn-failed = شبكة الواي فاي للاتصال بالإنترنت «{ $ssid }» لم تسمح للصندوق بالانضمام (توقّفت نقطة وصولها عن الإجابة؛ ومع WPA3 قد يبدو خطأ uplink.wifi_passphrase هكذا أيضًا)؛ جارٍ إعادة المحاولة
status-uplink-disabled = تعذّر الانضمام إلى شبكة الواي فاي للاتصال بالإنترنت «{ $ssid }» ({ $reason })؛ جارٍ إعادة المحاولة
status-uplink-disconnected = لم يتمّ الانضمام إلى شبكة الواي فاي للاتصال بالإنترنت «{ $ssid }»؛ جارٍ إعادة المحاولة
status-uplink-portal = شبكة المدرسة تطلب تسجيل الدخول: الوصلة الصاعدة { $uplink } تصل إلى صفحة تسجيل دخول لا إلى الإنترنت (تلقّى الفحص { portal-answer })؛ افتح أي صفحة ويب على جهاز منضمّ إلى هذا الواي فاي وسجّل الدخول هناك، وهذا يكفي للصندوق كله
status-uplink-wpa-silent = wpa_supplicant لا يجيب عن الوصلة الصاعدة { $uplink } ({ $error }): الاتصال بالإنترنت عبر الواي فاي لا يعمل
status-setup-problem = ملف الإعدادات (whereflow-settings.toml): { $problem }
status-setup-unreadable = تتعذّر قراءة ملف مشكلات الإعدادات { $file }: { $error }
status-setup-see-file = في الإعدادات مشكلات: انظر { $file }
status-setup-network = تعمل شبكة الواي فاي الخاصة بالإعداد «{ $ssid }» حتى يُصلَح ملف الإعدادات
# تحذيرات المراحل (مشكلات البدء والتشغيل). `error` كلمات النظام أو برنامج آخر كما وصلت.
status-admin-off = صفحات المسؤول معطّلة: تعذّر تجزئة كلمة المرور ({ $error })
status-admin-plain-kept = كلمة مرور المسؤول ما زالت مكتوبة نصًّا صريحًا في { $file } (admin.password): تعذّر استبدالها بتجزئتها ({ $error }). استبدل السطر بـ password_hash من { $hash_file }، أو اجعل الملف قابلًا للكتابة
status-admin-hash-bad = صفحات المسؤول معطّلة: تجزئة كلمة المرور المحفوظة في { $file } غير صالحة للاستخدام ({ $error })
status-admin-hash-unsaved = تعذّر حفظ تجزئة كلمة مرور المسؤول في { $file } ({ $error })
status-conntrack-disabled = الاتصالات غير مراقَبة (conntrack معطّل في الإعدادات): الأسماء (DNS) فقط، بلا تدفّقات
status-conntrack-not-started = الاتصالات غير مراقَبة، فلن تظهر تدفّقات: قارئ الاتصالات (conntrack) لم يبدأ ({ $error })
status-devices-not-started = الأجهزة معروفة بعناوينها فقط: قارئ الأجهزة لم يبدأ ({ $error })
status-detect-neighbours-unreadable = لا تُكتشف تعارضات العناوين على الشبكة: تتعذّر قراءة جدول الجيران ({ $error })
status-detect-arp-unreadable = لا يُكتشف جهاز ينتحل صفة البوابة: تتعذّر قراءة حزم ARP (يلزم CAP_NET_RAW؛ { $error })
status-detect-lan-thread = تعذّر تشغيل مراقبة الشبكة ({ $error }): لا تُكتشف تعارضات العناوين
status-detect-nflog-unreadable = لا تُكتشف عمليات فحص FIN و Xmas و Null: تتعذّر قراءة الحزم غير الصالحة المسجَّلة (detect.nflog_group؛ { $error })
status-detect-nflog-thread = تعذّر تشغيل مراقبة الحزم غير الصالحة ({ $error }): لا تُكتشف عمليات فحص FIN و Xmas و Null
status-controls-saved-unreadable = تعذّرت قراءة عمليات الحظر المحفوظة، فلا يسري أيّ منها الآن ({ $error })
status-controls-table-left = أدوات التحكّم معطّلة، لكن تعذّرت إزالة جدول جدار الحماية { $table } من تشغيل سابق، فما زالت عمليات الحظر فيه سارية ({ $error })
status-controls-not-enforced = عمليات الحظر المحفوظة ({ $count }) لا تسري: رفضها جدار الحماية (nftables) ({ $error })
status-controls-unsaved = تعذّر حفظ عمليات الحظر: ستُفقد آخر التغييرات عند إعادة التشغيل ({ $error })
status-dns-no-upstreams = لا يمكن الاستعلام عن الأسماء: لم يُحدَّد خادم DNS (dns.upstreams) ولا يوجد خادم صالح في /etc/resolv.conf، فيفشل كل اسم غير محلي
status-dns-cert-refused = خادم DNS المشفَّر { $upstream } غير مستخدم: رُفضت شهادته ({ $error }). يجب أن يقدّم شهادة صالحة لـ { $name } من جهة موثوقة؛ تحقّق من الاسم بعد @ في dns.upstreams، أو اضبط dns.tls_ca_file لجهة خاصة
status-conntrack-dump-slow = استغرقت قراءة جدول الاتصالات أكثر من 30 s؛ جارٍ إعادة المحاولة
status-conntrack-dump-request = تتعذّر قراءة جدول الاتصالات ({ $error })؛ ستُعاد المحاولة لاحقًا
status-conntrack-dump-denied = تتعذّر قراءة جدول الاتصالات: يحتاج whereflow إلى CAP_NET_ADMIN ({ $error })
status-conntrack-dump-failed = فشلت قراءة جدول الاتصالات ({ $error })؛ ستُعاد المحاولة لاحقًا
status-conntrack-full = عدد الاتصالات المتابَعة { $max } (conntrack.max_flows)، وهو الحدّ المسموح: لا تظهر الاتصالات الأحدث
status-conntrack-skipped = تعذّر استخدام رسالة اتصال فتُجووزت ({ $error })؛ الرسائل التالية تُعدّ فقط
status-conntrack-small-buffer = مخزن الاتصالات الجديدة يتّسع لـ { $got } بايت، لا { $wanted } ({ $error }): قد تملؤه موجة من الاتصالات الجديدة فتلزم إعادة قراءة كاملة؛ امنح whereflow صلاحية CAP_NET_ADMIN أو ارفع net.core.rmem_max
# ما يُفقد ما دام إعداد sysctl لـ conntrack معطّلًا ($knob: اسمه)؛ داخل رسائل status-sysctl-*.
sysctl-without = { $knob ->
        [nf_conntrack_acct] أعداد البايتات والحزم غير متوفّرة
        [nf_conntrack_timestamp] بداية الاتصال هي لحظة رآه whereflow أول مرة، لا لحظة بدئه
       *[other] الاتصالات الجديدة والمنتهية لا تُكتشف إلا بإعادة القراءة الدورية، وتفوت الاتصالات القصيرة
    }
status-sysctl-unreadable = تتعذّر قراءة { $file } ({ $error }): هل تتبّع الاتصالات (nf_conntrack) محمَّل؟ ما دام { $knob } معطّلًا: { sysctl-without }
status-sysctl-was-off = كان { $key } يساوي { $value } وصار الآن 1؛ الاتصالات التي بدأت قبل ذلك ما زالت تفتقده: { sysctl-without }
status-sysctl-unset = { $knob } يساوي { $value } وتعذّر تفعيله ({ $error }): { sysctl-without }؛ اضبط { $key }=1 (يلزم root)
status-sysctl-off = { $knob } يساوي { $value }: { sysctl-without }؛ اضبط { $key }=1
status-history-over-cap = تجاوز السجلّ حدّ حجمه (history.max_db_mb = { $max_mb }) ولم تبقَ إلا الساعة الأخيرة من الجلسة الحالية: ارفع الحدّ أو ابدأ جلسة جديدة
status-domains-unusable = لا يمكن استخدام قوائم المواقع المدمجة ({ $error }): الشركات معروفة بالشبكة (AS) فقط
status-geo-none = لا توجد قاعدة بيانات جغرافية (enrich.geo_dbs، أو المرفقة من scripts/fetch-default-data.sh): البلدان والأماكن غير معروفة
status-asn-none = لا توجد قاعدة بيانات للشبكات (AS) (enrich.asn_dbs، أو المرفقة من scripts/fetch-default-data.sh): الشبكات غير معروفة
status-db-directory = قاعدة البيانات { $kind ->
        [as] للشبكات (AS)
       *[other] الجغرافية
    } { $file } غير مستخدمة: إنها مجلّد لا ملف
status-db-unreadable = تتعذّر قراءة قاعدة البيانات { $kind ->
        [as] للشبكات (AS)
       *[other] الجغرافية
    } { $file } ({ $error })
status-db-invalid = قاعدة البيانات { $kind ->
        [as] للشبكات (AS)
       *[other] الجغرافية
    } { $file } غير مستخدمة: ليست ملف MaxMind DB صالحًا ({ $error })
status-db-wrong-kind = قاعدة البيانات { $kind ->
        [as] للشبكات (AS)
       *[other] الجغرافية
    } { $file } غير مستخدمة: لا تحتوي على { $kind ->
        [as] أرقام شبكات
       *[other] بلدان أو أماكن
    } (نوعها { $type })
status-devices-neighbours-unreadable = الأجهزة معروفة من عقود DHCP فقط: تتعذّر قراءة جدول الجيران ({ $error })
status-devices-leases-unreadable = لا تظهر أسماء الأجهزة من DHCP: تتعذّر قراءة ملف العقود { $file } (devices.dnsmasq_leases؛ { $error })
status-devices-leases-too-big = يُتجاهَل ملف عقود DHCP { $file }: حجمه { $size } بايت، أكثر من الحدّ المقروء { $max }
status-devices-no-interface = يذكر devices.interfaces الاسم { $name }، لكن لا توجد واجهة شبكة بهذا الاسم: الأجهزة عليها لا تُرى
status-devices-neighbours-failed = فشلت قراءة جدول الجيران ({ $error }): قد تفوت أجهزة جديدة لبعض الوقت
# ما وجده `whereflow setup` عن أجهزة راديو الواي فاي (system.notes).
status-radio-no-ap = محوّل الواي فاي { radio-name } لا يمكن أن يكون نقطة وصول (تعريفه لا يدعم وضع AP): غير مستخدم
status-radio-usb-many = يمكن لـ { $count } من محوّلات واي فاي USB أن تكون نقاط وصول ({ $radios }): يُستخدم { $radio }، الأول حسب الاسم؛ اضبط wifi.interface لاختيار غيره
# ما تقوله ملاحظة ملف المشكلات حين تزول مشكلة في الواي فاي.
status-fine-again = عاد سليمًا
# عناوين الملاحظات التي يكتبها الصندوق تحت مشكلات ملف المشكلات في قسم الإقلاع.
note-wifi = الواي فاي ({ $about })
note-radio = راديو الواي فاي
note-recovery = رمز استعادة المسؤول (اكتبه ككلمة المرور؛ يعمل مرة واحدة)
note-https = بصمة شهادة HTTPS (SHA-256)
## شكاوى النماذج (ما أُرسل لا يمكن استخدامه)؛ الإنجليزية هي أيضًا `error` في الـ API.
complaint-body = تعذّرت قراءة النموذج: { $error }
complaint-export-format = يجب أن تكون الصيغة "csv" أو "json"، لا { $value }
complaint-export-report-part = التقرير هو جزء المضيفين؛ لا تحدّد part
complaint-export-part = يجب أن يكون part واحدًا من devices أو flows أو dns أو hosts، لا { $value }
complaint-not-a-number = { $key }: ليس رقمًا: { $value }
complaint-settings = لا يمكن استخدام هذه الإعدادات: { $error }
complaint-scope-all-device = device: غير مسموح مع scope "all"
complaint-scope-device-needed = device: يلزم عنوان الجهاز مع scope "device"
complaint-scope = scope: { $value } ليس "all" ولا "device"
complaint-not-a-device = { $value } ليس عنوان جهاز
complaint-block-kind = kind: { $value } ليس واحدًا من "country" و"org" و"ip"
complaint-block-country = value: { $value } ليس رمز بلد من حرفين (ISO 3166، مثلًا "NL")
complaint-block-org-empty = value: اسم الشركة فارغ
complaint-block-org-long = value: { $max } حرفًا على الأكثر
complaint-block-org-control = value: بلا أحرف تحكّم
complaint-block-ip = value: { $value } ليس عنوان IP
complaint-block-ip-never = value: لا يمكن حظر { $value }
complaint-mark-empty = العلامة تحتاج إلى نص (مثلًا "افتح الآن تطبيقك المفضّل")
complaint-mark-long = نص العلامة { $max } حرفًا على الأكثر؛ وهذا فيه { $count }
complaint-mark-control = نص العلامة سطر واحد بلا أحرف تحكّم
complaint-mark-body = يجب أن يكون الطلب JSON فيه "label" من { $max } حرفًا على الأكثر: { $error }
complaint-query = تعذّرت قراءة معاملات العنوان: { $error }
complaint-replay-window = نافذة إعادة العرض من 1 إلى { $max } ثانية؛ وهذه { $value }
complaint-replay-at = لحظة إعادة العرض ("at") يجب أن تكون وقتًا بالمللي ثانية منذ 1970
complaint-session-name-long = name: { $max } حرفًا على الأكثر
complaint-session-name-control = name: بلا أحرف تحكّم
# ما فعلته استعادة النسخة الاحتياطية (إشعار صفحة المسؤول؛ `note` في الـ API بالإنجليزية).
restore-done = استُعيدت النسخة الاحتياطية: الأسماء المستعارة: { $nicknames }، حظر DNS للجميع: { $dns_all ->
        [on] مفعّل
       *[off] معطّل
    }، أجهزة بحظر DNS: { $devices }، عمليات الحظر: { $blocks }، التنبيهات المتجاهَلة: { $ignores }، قواعد شاشة العرض: { $rules }.
restore-done-settings = استُعيدت النسخة الاحتياطية: الإعدادات، الأسماء المستعارة: { $nicknames }، حظر DNS للجميع: { $dns_all ->
        [on] مفعّل
       *[off] معطّل
    }، أجهزة بحظر DNS: { $devices }، عمليات الحظر: { $blocks }، التنبيهات المتجاهَلة: { $ignores }، قواعد شاشة العرض: { $rules }.
restore-already = كان موجودًا من قبل: { $count }.
restore-expired = تنبيهات متجاهَلة انتهت مدّتها فتُركت: { $count }.
restore-not-applied = لم يُطبَّق: { $problems }.
restore-secrets-now = سارٍ الآن: { $secrets }.
restore-secret-admin-password = كلمة مرور المسؤول
restore-secret-metrics-token = رمز المقاييس
restore-passphrase-at-restart = حُفظت كلمة مرور الواي فاي وتسري عند التشغيل التالي (تغييرها الآن سيفصل كل الأجهزة في الغرفة).
restore-secrets-not-applied = أسرار لم تُطبَّق: { $problems }.
restore-choose-file = اختر ملف نسخة احتياطية، أو الصق محتواه
restore-upload-unreadable = تعذّرت قراءة الملف المرفوع: { $error }
restore-not-text = الملف المختار ليس نسخة احتياطية من whereflow (ليس نصًّا)
# لماذا لم ينجح إجراء للمسؤول (بعد "لم ينجح ذلك:" في adm-failed).
fail-no-history = السجلّ لا يُحفظ في هذا الصندوق (انظر التحذيرات)
fail-busy-exports = مشغول: يجري تصديران بالفعل؛ حاول مجددًا بعد لحظة
fail-busy-shutdown = مشغول: عمليات التصدير تتوقّف؛ حاول مجددًا بعد لحظة
fail-busy-deleting = مشغول: قاعدة البيانات ما زالت تحذف؛ حاول مجددًا بعد لحظة
fail-no-such-session = لا توجد جلسة { $id }
fail-current-session = الجلسة { $id } هي الجلسة الحالية: ابدأ جلسة جديدة قبل حذفها
fail-writer = كاتب المخزن لا يعمل أو مشغول جدًا: { $error }
fail-too-many-marks = في هذه الجلسة { $max } علامة بالفعل، وهو أقصى ما تحفظه الجلسة
fail-keep-or-delete = اختر الاحتفاظ بالجلسة القديمة أو حذفها
fail-rule-duplicate = هذه القاعدة موجودة بالفعل (القاعدة { $id })
fail-rules-full = { $max } قاعدة على الأكثر لكل جلسة؛ تراجع عن بعضها أولًا
fail-no-such-rule = لا توجد قاعدة { $id }
fail-controls-off = أدوات التحكّم معطّلة في هذا الصندوق (control.enabled = false)
fail-no-such-block = لا يوجد حظر { $id }
fail-no-such-flow = لا يوجد اتصال { $id } (ربما نُسي)
fail-flow-closed = الاتصال { $id } انتهى بالفعل
fail-block-duplicate = { $value } محظور بالفعل (الحظر { $id })
fail-blocks-full = مجموعات الحظر فيها بالفعل { $count } من العناوين (control.max_blocked_addresses)
fail-nft = الحظر يحتاج إلى nftables، وقد فشل: { $error }
fail-kill-gone = الاتصال لم يعد في جدول النواة (لقد انتهى)
fail-kill-denied = غير مسموح بتغيير جدول الاتصالات (يلزم CAP_NET_ADMIN): { $error }
fail-kill-refused = رفضت النواة حذف الاتصال: { $error }
fail-kill-io = فشل التواصل مع جدول اتصالات النواة: { $error }
fail-internal = حدث خطأ داخل الصندوق: { $error }
fail-choose-on-off = اختر التفعيل أو التعطيل
