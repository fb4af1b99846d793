# whereflow: لماذا يُرفض إعداد ما (العربية). المفاتيح نفسها كما في en/settings.ftl.
# كل سبب يأتي بعد «المفتاح: »، مثل «wifi.passphrase: يجب أن ...».
# المفاتيح (wifi.ssid) والقيم ("auto"، "eth0") وصيغ الملفات تبقى كما تُكتب في ملف الإعدادات.

## الأعداد والأطوال
config-between = يجب أن يكون بين { $min } و{ $max }
config-between-seconds = يجب أن يكون من { $min } إلى { $max } ثانية
config-at-most-day = يجب ألا يزيد على { $max } (يوم واحد)
config-at-most-off = يجب ألا يزيد على { $max } (القيمة 0 تُلغي الحد)
config-at-most-key = يجب أن يكون بين 1 و{ $other }
config-at-most-key-value = يجب أن يكون بين 1 و{ $other } ({ $max })
config-at-most-bytes = يجب ألا يزيد على { $max } بايت
config-at-most-chars = يجب ألا يزيد على { $max } حرفًا
config-entropy-bits = يجب أن يكون بين { $min } و{ $max } (بت لكل حرف)
config-idle-timeout = يجب أن يكون بين { $min } و{ $max } (أطول من مدة keep-alive لتدفق الأحداث وهي { $keepalive } s)
config-at-most-domains = { $max } نطاقًا على الأكثر
config-at-most-names = { $max } اسمًا على الأكثر
config-at-most-collectors = { $max } مُجمِّعًا على الأكثر
config-latitude-range = يجب أن يكون بين -90 و90
config-longitude-range = يجب أن يكون بين -180 و180

## النصوص والأسماء والمسارات
config-not-empty = يجب ألا يكون فارغًا
config-empty-path = المسار الفارغ ليس ملفًا
config-empty-path-none = مسار فارغ (احذف المفتاح إن لم ترد أي ملف)
config-control-chars = يجب ألا يحتوي على محارف تحكّم
config-printable-ascii = يجب أن يحتوي على محارف ASCII قابلة للطباعة فقط (حروف لاتينية، أرقام، مسافات، علامات ترقيم)
config-needed-with = مطلوب مع { $other }
config-interface-name = { $name } ليس اسم واجهة شبكة
config-domain-empty = { $value }: اسم نطاق فارغ
config-domain-too-long = { $value }: اسم النطاق أطول من 253 حرفًا
config-domain-bad-label = { $value }: جزء من اسم النطاق فارغ أو أطول من 63 حرفًا
config-org-empty = اسم شركة فارغ لا يطابق أي شيء
config-country-code = { $code } ليس رمز بلد من حرفين وفق ISO 3166 (مثل "DE")
config-host-name = { $host } ليس اسم مضيف ولا عنوانًا
config-absolute-path = { $path }: يجب أن يكون مسارًا مطلقًا (أو فارغًا إن لم يوجد)
config-value-detail = قيمة مرفوضة: { $detail }

## العناوين والمنافذ
config-need-address = يلزم عنوان واحد على الأقل
config-need-range = يلزم نطاق عناوين واحد على الأقل
config-port-zero = المنفذ 0 ليس منفذًا
config-address-port-zero = { $address }: المنفذ 0 ليس منفذًا
config-address-twice = { $address } مذكور مرتين في القائمة
config-not-server = { $server }: ليس عنوان خادم
config-server-loops = { $server } هو أحد عناوين dns.listen الخاصة بنا (سيؤدي إلى حلقة)
config-https-same-port = يجب أن يختلف عن web.listen (منفذ آخر)

## شبكة الواي فاي وأجهزة الراديو
config-ssid-empty = فارغ، لكن wifi.passphrase مضبوط: اكتب اسم الشبكة أيضًا
config-passphrase-open = يجب أن يكون فارغًا عندما تكون قيمة wifi.security هي "open"
config-passphrase-length = يجب أن يكون من 8 إلى 63 حرفًا لـ WPA2/WPA3 (فيه { $n })
config-country-unknown = { $code } ليس رمز بلد يعرفه wireless-regdb: استخدم رمز ISO 3166 المكوّن من حرفين للبلد الذي فيه الصندوق (مثل DE، FR، GB، US)
config-wifi-interface = { $interface } ليس اسم راديو واي فاي: استخدم "auto" (محوّل واي فاي USB إن كان موصولًا، وإلا فالراديو المدمج) أو اسمًا مثل "wlan0" أو "wlan1"
config-radio-both = { $interface } هو أيضًا wifi.interface، أي راديو نقطة الوصول: لا يمكن لراديو واحد أن يقوم بالدورين؛ اضبط wifi.interface = "auto" لتعمل نقطة الوصول على راديو آخر
# $other: ghz5 إذا كانت القناة من 5 GHz، وghz24 إذا كانت من 2.4 GHz، وإلا none.
config-channel-band-24 = القناة { $channel } ليست قناة 2.4 GHz{ $other ->
    [ghz5] {" "}(إنها قناة 5 GHz: اضبط wifi.band = "5")
   *[none] {""}
}؛ قنوات 2.4 GHz هي من 1 إلى 13
config-channel-band-5 = القناة { $channel } ليست قناة 5 GHz{ $other ->
    [ghz24] {" "}(إنها قناة 2.4 GHz: اضبط wifi.band = "2.4")
   *[none] {""}
}؛ قنوات 5 GHz مثل 36 أو 40 أو 44 أو 48
config-band-not-allowed = لا يجوز لنقطة الوصول استخدام { $band } في { $country }؛ استخدم wifi.band = "2.4"
config-band-not-allowed-no-country = لا يجوز لنقطة الوصول استخدام { $band } دون ضبط wifi.country؛ استخدم wifi.band = "2.4"
config-channel-not-allowed = القناة { $channel } غير مسموحة لنقطة الوصول في { $country } دون كشف الرادار، وهذا الصندوق لا يقوم به؛ المسموح هناك على { $band }: { $allowed }
config-channel-not-allowed-no-country = القناة { $channel } غير مسموحة لنقطة الوصول دون ضبط wifi.country ودون كشف الرادار، وهذا الصندوق لا يقوم به؛ المسموح حينها على { $band }: { $allowed }

## الاتصال بالإنترنت
config-uplink-interface = { $interface } ليس اسم واجهة شبكة (حروف، أرقام، '_'، '-'، '.'؛ 15 على الأكثر): استخدم "eth0" للإيثرنت، أو "usb0" لمشاركة إنترنت الهاتف عبر USB، أو "wlan0" مع uplink.wifi_ssid لشبكة واي فاي
config-uplink-lo = لا يمكن أن يكون "lo" هو الاتصال بالإنترنت: استخدم "eth0" أو "usb0" أو "wlan0"
config-uplink-wifi-radio = { $interface } راديو واي فاي: لاستخدام شبكة واي فاي للاتصال بالإنترنت، اضبط أيضًا uplink.wifi_ssid وuplink.wifi_passphrase (وتعمل نقطة الوصول حينها على راديو آخر)؛ وإلا فاستخدم "eth0" أو "usb0"
config-uplink-ssid-not-radio = مضبوط، لكن uplink.interface { $interface } ليس راديو واي فاي: اضبط uplink.interface = "wlan0" (أو الراديو الذي تريده)
config-uplink-passphrase-length = يجب أن يكون من 8 إلى 63 حرفًا لـ WPA2/WPA3 (فيه { $n }): كلمة مرور الشبكة التي يسمّيها uplink.wifi_ssid
config-uplink-passphrase-alone = مضبوط، لكن uplink.wifi_ssid غير مضبوط: اكتب أيضًا اسم الشبكة التي تريد الانضمام إليها
config-probe-url = { $url } ليس عنوان http:// بسيطًا (مضيف، ومنفذ ومسار اختياريان) يجيب بالرمز 204: مثل { $example }، أو "" لعدم الفحص

## الموقع والمسؤول والصفحات
config-site-url = { $url } ليس عنوان http:// أو https://
config-site-url-length = يجب ألا يزيد على 200 حرف، ودون مسافات
config-password-short = يجب أن يكون طوله 8 أحرف على الأقل
config-metrics-token-needed = يحتاج إلى metrics.token: دون رمز تكون /metrics معطّلة
config-metrics-port = يحتاج إلى منفذ (مثل "0.0.0.0:9100"): على أداة الجمع أن تعرف أين تسأل
config-token-short = يجب أن يكون { $min } حرفًا على الأقل (فيه { $n })؛ مثل ناتج `openssl rand -hex 24`، أو احذف المفتاح لتعطيل /metrics
config-token-char = لا يجوز أن يحتوي إلا على حروف وأرقام و- . _ ~ + / = (رمز bearer)، وليس { $char }

## التصدير والتنبيهات والحظر
config-enterprise-number = يجب أن يكون Private Enterprise Number (الرقم 0 لعناصر IANA نفسها)
config-built-in-rules = القواعد المدمجة: { $detail }
config-rule = القاعدة رقم { $n } ({ $name }): { $detail }
config-nft-table-name = من 1 إلى 64 حرفًا أو رقمًا أو '_'، ويبدأ بحرف
config-nft-table-own = `{ $table }` هو جدول الجدار الناري الخاص بالصندوق؛ اختر اسمًا آخر

## الملف نفسه (كلمات محلّل TOML، أي $detail، تبقى بالإنجليزية)
config-parse-line = تعذّرت قراءة سطر: { $detail }
config-parse = تعذّرت قراءة الملف: { $detail }

## لغة الموقع واسمه
config-language = { $code } ليست لغة يتكلمها هذا الصندوق (en، de، fr، es، ar)
config-name-length = يجب أن يكون من 1 إلى 64 حرفًا

## وجدته سكربتات الإقلاع بعد الفحص (whereflow setup --hostapd-refused)
problem-hostapd-refused = رفضت شريحة الواي فاي هذه الإعدادات (قال hostapd: { $log })؛ جرّب قيمة أخرى لـ wifi.channel أو wifi.band أو wifi.security

## admin.password_hash (كلمات محلّل التجزئة، أي $detail، تبقى بالإنجليزية)
config-hash-not-argon2 = ليست تجزئة argon2 (سلسلة PHC "$argon2id$v=19$..."): { $detail }
config-hash-algorithm = { $algorithm } ليس argon2
config-hash-parameters = معاملات غير صالحة: { $detail }
config-hash-costs = التكاليف m={ $m } t={ $t } p={ $p } أكبر مما يتحقق منه هذا الصندوق (على الأكثر m={ $max_m } t={ $max_t } p={ $max_p })
config-hash-incomplete = تنقص التجزئة (hash) أو الملح (salt)

## ما يقوله `whereflow setup` على الشاشة عند الإقلاع. $error: كلمات النظام أو برنامج آخر (تبقى بالإنجليزية).
setup-wrote = كُتبت { $files } في { $dir }
setup-good = الإعدادات في { $file } سليمة: الواي فاي «{ $ssid }»، { $band ->
        [ghz5] 5 GHz
       *[other] 2.4 GHz
    }، القناة { $channel }
setup-also-in = (وأيضًا في { $file })
# أمان الواي فاي لنقطة الوصول، داخل رسائل setup-security-...
setup-security = { $security ->
        [wpa2-pmf] WPA2 مع إطارات إدارة محمية اختيارية
        [wpa3] WPA3 (SAE) مع إطارات إدارة محمية
        [wpa2-wpa3] وضع انتقالي WPA2/WPA3 مع إطارات إدارة محمية
       *[wpa2] WPA2
    }
setup-security-auto-unread = أمان الواي فاي: { setup-security } (wifi.security "auto": تعذّرت قراءة قدرات شريحة الواي فاي)
setup-security-auto-both = أمان الواي فاي: { setup-security } (wifi.security "auto": شريحة الواي فاي تدعم SAE وإطارات الإدارة المحمية كنقطة وصول)
setup-security-auto-no-sae = أمان الواي فاي: { setup-security } (wifi.security "auto": شريحة الواي فاي لا تدعم SAE كنقطة وصول)
setup-security-auto-neither = أمان الواي فاي: { setup-security } (wifi.security "auto": شريحة الواي فاي لا تدعم SAE ولا إطارات الإدارة المحمية كنقطة وصول)
setup-security-as-written = أمان الواي فاي: { setup-security } (wifi.security "{ $asked }")
setup-ap-radio-named = نقطة وصول الواي فاي على { radio-name } (wifi.interface = { $name })
setup-ap-radio-usb = نقطة وصول الواي فاي على { radio-name } (wifi.interface = "auto": محوّل USB يمكنه أن يكون نقطة وصول)
setup-ap-radio-usb-instead = نقطة وصول الواي فاي على { radio-name } (wifi.interface = "auto": محوّل USB يمكنه أن يكون نقطة وصول موصول، ويُستخدم بدلًا من { $onboard })
setup-ap-radio-no-usb = نقطة وصول الواي فاي على { radio-name } (wifi.interface = "auto": لا يوجد محوّل USB موصول يمكنه أن يكون نقطة وصول)
setup-no-radio = لم يُعثر على راديو واي فاي: جُهّزت نقطة الوصول على { $interface } لحين ظهوره
setup-caps-unread = تعذّرت قراءة قدرات { radio-name }: { $error }
setup-password-plain = تبقى كلمة مرور المسؤول نصًا مكشوفًا في { $file } ({ $error })؛ ومع ذلك يستخدم الصندوق تجزئتها
setup-image-defaults-unused = لم تُستخدم الإعدادات الافتراضية للصورة { $file }: { $error }
setup-passphrase-unsaved = تعذّر حفظ كلمة مرور شبكة الإعداد في { $file } ({ $error }): ستتغيّر عند كل إقلاع
setup-problems-unwritten = تعذّرت كتابة { $file } ({ $error }): المشكلات موجودة على هذه الشاشة فقط
setup-problems-removed = الإعدادات سليمة الآن: حُذف { $file }
setup-problems-not-removed = تعذّر حذف الملف القديم { $file } ({ $error })
setup-radios-not-noted = تعذّر تسجيل أجهزة راديو الواي فاي في { $file } ({ $error })
setup-cannot-write = تعذّرت كتابة { $file }: { $error }
setup-cannot-hash = تعذّر حساب تجزئة كلمة مرور المسؤول: { $error }
