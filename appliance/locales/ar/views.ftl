# whereflow: كلمات العروض المباشرة (العربية). المفاتيح نفسها كما في الملف الإنجليزي.

## Counts
count-device = { $n ->
    [zero] { $n } أجهزة
    [one] جهاز واحد
    [two] جهازان
    [few] { $n } أجهزة
    [many] { $n } جهازًا
   *[other] { $n } جهاز
}
count-company = { $n ->
    [zero] { $n } شركات
    [one] شركة واحدة
    [two] شركتان
    [few] { $n } شركات
    [many] { $n } شركةً
   *[other] { $n } شركة
}
count-country = { $n ->
    [zero] { $n } بلدان
    [one] بلد واحد
    [two] { $n } بلدان
    [few] { $n } بلدان
    [many] { $n } بلدًا
   *[other] { $n } بلد
}
count-connection = { $n ->
    [zero] { $n } اتصالات
    [one] اتصال واحد
    [two] اتصالان
    [few] { $n } اتصالات
    [many] { $n } اتصالًا
   *[other] { $n } اتصال
}
count-tracker = { $n ->
    [zero] { $n } متتبِّعات
    [one] متتبِّع واحد
    [two] متتبِّعان
    [few] { $n } متتبِّعات
    [many] { $n } متتبِّعًا
   *[other] { $n } متتبِّع
}
count-place = { $n ->
    [zero] { $n } أماكن
    [one] مكان واحد
    [two] مكانان
    [few] { $n } أماكن
    [many] { $n } مكانًا
   *[other] { $n } مكان
}
count-website = { $n ->
    [one] موقع أو خدمة واحدة
    [two] موقعان أو خدمتان
   *[other] { $n } من المواقع والخدمات
}
ago-seconds = قبل { $n } ث
ago-minutes = قبل { $n } د
ago-hours = قبل { $n } س
date-time = { $day }/{ $month }/{ $year } { $time }

## The live status
live-live = مباشر
live-polling = يُحدَّث كل بضع ثوانٍ
live-error = تعذّر الوصول إلى الصندوق ({ $error })؛ جارٍ إعادة المحاولة…
live-paused = متوقّف مؤقتًا

## Names in the views
name-other = أخرى
other-device = { $n ->
    [zero] { $n } أجهزة أخرى
    [one] جهاز آخر
    [two] جهازان آخران
    [few] { $n } أجهزة أخرى
    [many] { $n } جهازًا آخر
   *[other] { $n } جهاز آخر
}
other-domain = { $n ->
    [one] موقع أو خدمة أخرى
    [two] موقعان أو خدمتان أخريان
   *[other] { $n } من المواقع والخدمات الأخرى
}
other-org = { $n ->
    [zero] { $n } شركات أخرى
    [one] شركة أخرى
    [two] شركتان أخريان
    [few] { $n } شركات أخرى
    [many] { $n } شركةً أخرى
   *[other] { $n } شركة أخرى
}
other-country = { $n ->
    [zero] { $n } بلدان أخرى
    [one] بلد آخر
    [two] بلدان آخران
    [few] { $n } بلدان أخرى
    [many] { $n } بلدًا آخر
   *[other] { $n } بلد آخر
}
name-hidden-company = شركة مخفية
name-hidden-website = موقع مخفي
name-no-dns = لم يُرصد أي DNS
name-unknown-company = شركة غير معروفة
name-unknown-place = مكان غير معروف
name-unknown = غير معروف
name-you = { $name } (أنت)
all-devices = كل الأجهزة ({ $n })
device-not-seen = { $id } (غير ظاهر الآن)

## Home
home-live = الآن: تواصل { $who } مع { $orgs } في { $countries } خلال آخر 5 دقائق.
home-live-devices = الأجهزة هنا
home-live-none = لم يُرسل أي جهاز شيئًا خلال آخر 5 دقائق.

## Flows (sankey)
sankey-when-60 = خلال الدقيقة الأخيرة
sankey-when-300 = خلال آخر 5 دقائق
sankey-when-900 = خلال آخر 15 دقيقة
sankey-when-session = في هذه الجلسة
sankey-when-mark = منذ العلامة
sankey-col-devices = الأجهزة
sankey-col-domains = المواقع والخدمات
sankey-col-orgs = الشركات
sankey-col-countries = البلدان
sankey-link-tracker = (متتبِّع أو إعلانات)
sankey-node-tracker = متتبِّع أو إعلانات: { $value }
sankey-showing = المعروض: { $what }. متصل بـ { $parts }. المسه مجددًا أو اضغط Escape لعرض كل شيء.
sankey-pointing = تشير إلى: { $what }. متصل بـ { $parts }.
sankey-focus-hint = أشِر إلى جهاز أو موقع أو شركة أو بلد أو المسه لتتبّع مساره.
sankey-none = لا اتصالات { $when }.
sankey-privacy-who = هذا الجهاز والأجهزة الأخرى (وضع الخصوصية)
sankey-summary = تبادل { $who } { $bytes } مع { $orgs } في { $countries } { $when }. ذهب { $share } منها إلى المتتبِّعات والمعلنين.
sankey-badge-tracker = ⚠ متتبِّع

## World map
map-home-unset-long = موقع هذا الصندوق غير محدَّد، لذا لا تُرسم منه أي خطوط. يمكن لمن يديره ضبط site.latitude و site.longitude في ملف إعداداته.
map-home-title = هذا الواي فاي: الصندوق الذي أنت متصل به
map-you-are-here = أنت هنا
map-you-are-here-named = أنت هنا ({ $name })
map-unknown-country = بلد غير معروف
map-place-words = { $where }: { $bytes } من { $devices }، معظمها { $kind }
map-place-trackers = ؛ { $share } إلى المتتبِّعات
map-place-active = ؛ نشط الآن
map-summary = ذهبت البيانات إلى { $places } في { $countries }.
map-summary-active = ذهبت البيانات إلى { $places } في { $countries }؛ { $active } نشطة الآن (تنبض).
map-none = لا اتصالات في هذه الفترة الزمنية بعد.
map-not-on-map = (ليس على الخريطة)

## Marks and the session's timeline (presenter, sankey, map)
sankey-when-replay = خلال الدقائق الخمس السابقة لهذه اللحظة من الإعادة
marks-none = لا علامة بعد.
marks-none-since = لا علامة بعد: تُعرض الجلسة كاملة.
marks-latest = آخر علامة: «{ $label }» عند { $time }.
marks-since = يُعرض فقط ما حدث منذ العلامة: «{ $label }» عند { $time }.
marks-form-label = ضع علامة على هذه اللحظة
marks-form-placeholder = افتح الآن تطبيقك المفضّل
marks-form-button = ضع علامة الآن
marks-bad-label = تحتاج العلامة إلى عنوان من 1 إلى { $max } حرفًا (في هذا العنوان { $n }).
marks-not-set = لم تُوضع العلامة: { $why }
timeline-other = شركات أخرى
timeline-unknown = شركة غير معروفة
timeline-hidden = أخفاها المعلّم
marks-timeline = البيانات في الدقيقة لكل شركة في هذه الجلسة، مع العلامات

## Replay of a stored session (admin)
replay-title = إعادة تشغيل الجلسة { $id }
replay-lede = شغّل أو أوقف مؤقتًا أو اسحب المؤشر: يُظهر العرض ما كان يحدث في تلك اللحظة من الجلسة.
replay-back = العودة إلى العرض المباشر
replay-play = تشغيل
replay-pause = إيقاف مؤقت
replay-scrub = الوقت في الجلسة
replay-loading = جارٍ تحميل الجلسة…
replay-position = { $time } ({ $elapsed } من { $total })
replay-gone = الجلسة { $id } لم تعد محفوظة: حُذفت أو لم توجد قط. اختر جلسة أخرى في صفحة المسؤول.
replay-denied = المسؤول وحده يمكنه إعادة تشغيل جلسة: سجّل الدخول في صفحة المسؤول أولًا.
replay-failed = تعذّرت قراءة الإعادة: { $why }
replay-noscript = تحتاج الإعادة إلى JavaScript.

## Presenter
presenter-devices-private = أجهزة (لا تُحصى: وضع الخصوصية)
presenter-devices = أجهزة
presenter-nothing-yet = لا شيء بعد: افتح تطبيقًا أو موقعًا على هاتف متصل بهذا الواي فاي.
presenter-no-trackers = لا متتبِّعات
presenter-no-devices = لا أجهزة بعد.
presenter-fullscreen = ملء الشاشة
presenter-leave-fullscreen = الخروج من ملء الشاشة
presenter-sound-on = صوت التنبيهات: مُفعَّل
presenter-sound-off = صوت التنبيهات: مُطفأ
presenter-sound-unavailable = صوت التنبيهات: غير متاح
presenter-since-mark-on = منذ العلامة: مُفعَّل
presenter-since-mark-off = منذ العلامة: مُطفأ
# واي فاي الغرفة (نقطة وصول الصندوق) والاتصال بالإنترنت، من /api/v1/status.
presenter-room-full = الغرفة ممتلئة: عدد الأجهزة على هذا الواي فاي { $associated }، وهو تقريبًا أقصى ما يقبله. قد لا يتمكّن جهاز آخر من الاتصال؛ سيتمكّن عندما يغادر أحدها.
presenter-room-nearly = شبه ممتلئة: عدد الأجهزة على هذا الواي فاي { $associated } من نحو { $capacity }.
presenter-uplink-login = شبكة المدرسة تطلب تسجيل الدخول: لا يستطيع هذا الصندوق الوصول إلى الإنترنت حتى يسجّل أحدٌ الدخول. افتح أي صفحة ويب على جهاز متصل بهذا الواي فاي وسجّل الدخول هناك.

## My device (live)
me-no-connections = لا اتصالات بعد.
me-no-lookups = لم يُستعلَم عن أي اسم بعد.
me-unknown-kind = نوع غير معروف
badge-tracker = متتبِّع
badge-blocked = محظور
unit-sent = مُرسَلة
unit-received = مُستقبَلة
unit-connections = اتصالات

## Alerts (server and live)
alert-outside-host = مضيف خارجي
alert-other-side = الطرف الآخر:
alert-first-seen = أول ظهور
alert-last-seen = آخر ظهور
alert-count = { $n ->
    [zero] { $n } مرة
    [one] مرة واحدة
    [two] مرتان
    [few] { $n } مرات
    [many] { $n } مرة
   *[other] { $n } مرة
}
alert-ignored-until = متجاهَل حتى { $time }
alert-ignore = تجاهل لمدة ساعة
alerts-none = لا تنبيهات
alerts-newest = أحدث التنبيهات: { $shown } من { $total }
alerts-count = { $n ->
    [zero] { $n } تنبيهات
    [one] تنبيه واحد
    [two] تنبيهان
    [few] { $n } تنبيهات
    [many] { $n } تنبيهًا
   *[other] { $n } تنبيه
}
alerts-no-match = لا تنبيهات تطابق هذا المرشّح.
alerts-nothing = لا شيء غير عادي حتى الآن.
alerts-login-ended = انتهى تسجيل دخولك كمسؤول: سجّل الدخول مجددًا في صفحة المسؤول.
alerts-gone = لم يعد هذا التنبيه محفوظًا.
alerts-not-ignored-status = لم يُتجاهَل ({ $status }).
alerts-unreachable = تعذّر الوصول إلى الصندوق ({ $error }).

alerts-refused = مرفوض: أعد تحميل هذه الصفحة وحاول مجددًا.

## Devices without a name
device-numbered = جهاز { $n }
device-address = جهاز { $tail }

## What the detectors saw (each alert's sentence; arguments are data: addresses, names, numbers)
alert-msg-encrypted-dns-dot = { $device } فتح اتصال DNS مشفّرًا ({ $how }، المنفذ 853) إلى { $to }. تتجاوز استعلاماته هذا الصندوق، لذا لا تظهر الأسماء التي يزورها.
alert-msg-encrypted-dns-doh = { $device } اتصل بـ { $to }، وهو محلِّل DNS-over-HTTPS عام. تتجاوز استعلاماته هذا الصندوق مشفّرةً، لذا لا تظهر الأسماء التي يزورها.
alert-msg-encrypted-dns-no-dns = { $device } يستعلم عن الأسماء عبر هذا الصندوق، ومع ذلك فتح خلال { $minutes } { $minutes ->
        [few] دقائق
       *[other] دقيقة
    } اتصالات بـ { $n } من العناوين التي لم يستعلم عنها هنا قط (آخرها: { $latest }). ربما يحلّ الأسماء بطريقة أخرى (DNS مشفّر مدمج في تطبيق أو متصفح)، أو يستخدم عناوين مكتوبة داخل تطبيق.
alert-msg-upload-sudden = { $device } أرسل { $bytes } إلى { $to } خلال { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    }: أكثر بكثير مما استقبل. ربما تغادر الجهازَ ملفاتٌ أو صور أو تسجيلات.
alert-msg-upload-sustained = { $device } يرسل بيانات إلى { $to } منذ { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    } دون توقف ({ $bytes } في آخر { $window } { $window ->
        [few] ثوانٍ
       *[other] ثانية
    }). شيء ما على الجهاز يواصل الإرسال: نسخة احتياطية، أو مكالمة، أو كاميرا — أو بيانات تغادر دون أن يلاحظ أحد.
alert-msg-deny-list = { $device } اتصل بـ { $to }، وهي وجهة في قائمة الحظر «{ $list }».
alert-msg-allow-countries = { $device } اتصل بـ { $to }: البلد { $country } ليس في قائمة السماح.
alert-msg-allow-orgs = { $device } اتصل بـ { $to }: المؤسسة { $org } ليست في قائمة السماح.
alert-msg-allow-domains = { $device } اتصل بـ { $to }: هذا الموقع ليس في قائمة السماح.
alert-msg-dns-tunnel-long = { $device } استعلم خلال دقيقة عن { $n } من الأسماء الطويلة على نحو غير عادي والعشوائية المظهر تحت { $zone } (أطولها { $longest } حرفًا). يمكن تهريب البيانات إلى الخارج مخفيةً في استعلامات DNS كهذه (نفق DNS).
alert-msg-dns-tunnel-unique = { $device } استعلم خلال دقيقة عن { $n } من الأسماء المختلفة تحت { $zone }. إخفاء البيانات في أسماء جديدة دائمًا هو طريقة عمل نفق DNS.
alert-msg-dns-tunnel-txt = { $device } طلب خلال دقيقة { $n } من سجلات TXT تحت { $zone }. يمكن لإجابات TXT أن تُدخل البيانات (نفق DNS)؛ والتصفح العادي يحتاج إلى القليل منها.
alert-msg-scan-ports = { $outside ->
        [yes] مضيف خارجي، { $who }،
       *[no] { $who }
    } جرّب { $ports } من المنافذ المختلفة على { $target } خلال { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    } ({ $how ->
        [connection] محاولات اتصال (مسح SYN أو connect)
       *[probes] حزم استكشاف { $probes }
    }): مسح المنافذ يبحث عن خدمات يمكن اختراقها.
alert-msg-scan-hosts = { $outside ->
        [yes] مضيف خارجي، { $who }،
       *[no] { $who }
    } { $icmp ->
        [yes] أرسل ping إلى
       *[no] جرّب المنفذ { $port } على
    } { $hosts } من المضيفين المختلفين في { $network } خلال { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    } ({ $how ->
        [connection] محاولات اتصال (مسح SYN أو connect)
       *[probes] حزم استكشاف { $probes }
    }): هذا المسح يبحث عن أجهزة لمهاجمتها.
alert-msg-scan-odd = { $outside ->
        [yes] مضيف خارجي، { $who }،
       *[no] { $who }
    } أرسل { $n } من حزم الاستكشاف { $probes } إلى { $target } خلال { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    }: حزم بتركيبات أعلام لا يستخدمها أي اتصال عادي، مصمَّمة لتمرير مسح المنافذ خلسةً عبر جدران الحماية.
alert-msg-spoofing-gateway = { $known ->
        [yes] الجهاز ذو العنوان { $who }
       *[no] جهاز لا يعرفه الصندوق بعد
    } يدّعي امتلاك عنوان البوابة، { $gateway }، على الشبكة المحلية. الأجهزة التي تصدّقه ترسل إليه بياناتها بدلًا من الصندوق: ربما يحاول أحدهم قراءة بيانات الآخرين أو تغييرها (انتحال ARP).
alert-msg-spoofing-conflict = جهازان يدّعيان امتلاك العنوان { $address }: بطاقة شبكة أخرى{ $other ->
        [yes] {" "}(الجهاز ذو العنوان { $device })
       *[no] {""}
    } استولت عليه بعد { $seconds } { $seconds ->
        [few] ثوانٍ
       *[other] ثانية
    } من آخر مرة شوهدت فيها الأولى به. إما أن جهازين أُعطيا العنوان نفسه، أو أن أحدهما ينتحل صفة الآخر ليستقبل بياناته (انتحال ARP).

## Device names the appliance makes up (the server and the scripts say them)
device-name-vendor = جهاز { $vendor }
device-name-address = جهاز { $tail }
device-name-plain = جهاز
device-name-hidden = جهاز مخفي
device-name-others = أجهزة أخرى
device-name-hidden-many = أجهزة مخفية

## Pseudonyms ("Blue Otter"): a colour and an animal, said in the reader's language.
# بالعربية: الحيوان أولًا ثم اللون، واللون يطابق جنس الحيوان (.gender).
# يجب أن يبقى كل حيوان وكل لون مختلفًا عن غيره: لا يتشارك جهازان اسمًا مستعارًا.
pseudonym = { $animal } { $colour }
pseudonym-numbered = { $animal } { $colour } { $round }
animal-otter = قضاعة
    .gender = feminine
animal-fox = ثعلب
    .gender = masculine
animal-panda = باندا
    .gender = masculine
animal-koala = كوالا
    .gender = masculine
animal-tiger = نمر
    .gender = masculine
animal-lion = أسد
    .gender = masculine
animal-rabbit = أرنب
    .gender = masculine
animal-owl = بومة
    .gender = feminine
animal-penguin = بطريق
    .gender = masculine
animal-dolphin = دلفين
    .gender = masculine
animal-whale = حوت
    .gender = masculine
animal-turtle = سلحفاة
    .gender = feminine
animal-frog = ضفدع
    .gender = masculine
animal-bee = نحلة
    .gender = feminine
animal-butterfly = فراشة
    .gender = feminine
animal-octopus = أخطبوط
    .gender = masculine
animal-hedgehog = قنفذ
    .gender = masculine
animal-hamster = هامستر
    .gender = masculine
animal-deer = أيل
    .gender = masculine
animal-zebra = حمار وحشي
    .gender = masculine
animal-giraffe = زرافة
    .gender = feminine
animal-elephant = فيل
    .gender = masculine
animal-camel = جمل
    .gender = masculine
animal-kangaroo = كنغر
    .gender = masculine
animal-parrot = ببغاء
    .gender = masculine
animal-flamingo = فلامنغو
    .gender = masculine
animal-swan = بجعة
    .gender = feminine
animal-duck = بطة
    .gender = feminine
animal-seal = فقمة
    .gender = feminine
animal-beaver = قندس
    .gender = masculine
animal-llama = لاما
    .gender = masculine
animal-badger = غرير
    .gender = masculine
colour-red = { $gender ->
        [feminine] حمراء
       *[masculine] أحمر
    }
colour-orange = { $gender ->
        [feminine] برتقالية
       *[masculine] برتقالي
    }
colour-gold = { $gender ->
        [feminine] ذهبية
       *[masculine] ذهبي
    }
colour-green = { $gender ->
        [feminine] خضراء
       *[masculine] أخضر
    }
colour-blue = { $gender ->
        [feminine] زرقاء
       *[masculine] أزرق
    }
colour-purple = { $gender ->
        [feminine] أرجوانية
       *[masculine] أرجواني
    }
colour-pink = { $gender ->
        [feminine] وردية
       *[masculine] وردي
    }
colour-silver = { $gender ->
        [feminine] فضية
       *[masculine] فضي
    }
colour-teal = { $gender ->
        [feminine] فيروزية
       *[masculine] فيروزي
    }
colour-coral = { $gender ->
        [feminine] مرجانية
       *[masculine] مرجاني
    }
colour-violet = { $gender ->
        [feminine] بنفسجية
       *[masculine] بنفسجي
    }
colour-mint = { $gender ->
        [feminine] نعناعية
       *[masculine] نعناعي
    }
colour-amber = { $gender ->
        [feminine] كهرمانية
       *[masculine] كهرماني
    }
colour-lime = { $gender ->
        [feminine] ليمونية
       *[masculine] ليموني
    }
colour-navy = { $gender ->
        [feminine] كحلية
       *[masculine] كحلي
    }
colour-ruby = { $gender ->
        [feminine] ياقوتية
       *[masculine] ياقوتي
    }
