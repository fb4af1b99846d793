# whereflow: warum eine Einstellung abgelehnt wird (Deutsch). Dieselben Schlüssel wie
# en/settings.ftl. Jeder Grund folgt auf „Schlüssel: “, z. B. „wifi.passphrase: muss …“.
# Schlüssel (wifi.ssid), Werte ("auto", "eth0") und Dateiformate bleiben, wie sie in der
# Einstellungsdatei stehen.

## Zahlen und Längen
config-between = muss zwischen { $min } und { $max } liegen
config-between-seconds = muss { $min } bis { $max } Sekunden sein
config-at-most-day = darf höchstens { $max } sein (ein Tag)
config-at-most-off = darf höchstens { $max } sein (0 schaltet die Grenze ab)
config-at-most-key = muss zwischen 1 und { $other } liegen
config-at-most-key-value = muss zwischen 1 und { $other } ({ $max }) liegen
config-at-most-bytes = darf höchstens { $max } Bytes lang sein
config-at-most-chars = darf höchstens { $max } Zeichen lang sein
config-entropy-bits = muss zwischen { $min } und { $max } liegen (Bits pro Zeichen)
config-idle-timeout = muss zwischen { $min } und { $max } liegen (länger als das Keep-alive des Ereignisstroms von { $keepalive } s)
config-at-most-domains = höchstens { $max } Domains
config-at-most-names = höchstens { $max } Namen
config-at-most-collectors = höchstens { $max } Collector
config-latitude-range = muss zwischen -90 und 90 liegen
config-longitude-range = muss zwischen -180 und 180 liegen

## Text, Namen und Pfade
config-not-empty = darf nicht leer sein
config-empty-path = ein leerer Pfad ist keine Datei
config-empty-path-none = ein leerer Pfad (lass den Schlüssel für „keine“ ganz weg)
config-control-chars = darf keine Steuerzeichen enthalten
config-printable-ascii = darf nur druckbare ASCII-Zeichen enthalten (Buchstaben ohne Umlaute, Ziffern, Leerzeichen, Satzzeichen)
config-needed-with = wird zusammen mit { $other } gebraucht
config-interface-name = { $name } ist kein Name einer Netzwerkschnittstelle
config-domain-empty = { $value }: leerer Domainname
config-domain-too-long = { $value }: Domainname länger als 253 Zeichen
config-domain-bad-label = { $value }: ein Teil des Domainnamens ist leer oder länger als 63 Zeichen
config-org-empty = ein leerer Organisationsname passt auf nichts
config-country-code = { $code } ist kein zweibuchstabiger ISO-3166-Ländercode (wie "DE")
config-host-name = { $host } ist kein Hostname und keine Adresse
config-absolute-path = { $path }: muss ein absoluter Pfad sein (oder leer für keinen)
config-value-detail = wird nicht angenommen: { $detail }

## Adressen und Ports
config-need-address = mindestens eine Adresse ist nötig
config-need-range = mindestens ein Adressbereich ist nötig
config-port-zero = Port 0 ist kein Port
config-address-port-zero = { $address }: Port 0 ist kein Port
config-address-twice = { $address } steht doppelt in der Liste
config-not-server = { $server }: keine Serveradresse
config-server-loops = { $server } ist eine der eigenen dns.listen-Adressen (das ergäbe eine Schleife)
config-https-same-port = muss sich von web.listen unterscheiden (ein anderer Port)

## Das WLAN und die Funkadapter
config-ssid-empty = ist leer, aber wifi.passphrase ist gesetzt: gib auch den Namen des WLANs an
config-passphrase-open = muss leer sein, wenn wifi.security "open" ist
config-passphrase-length = muss für WPA2/WPA3 8 bis 63 Zeichen lang sein (es sind { $n })
config-country-unknown = { $code } ist kein Ländercode, den wireless-regdb kennt: verwende den zweibuchstabigen ISO-3166-Code des Landes, in dem die Box steht (z. B. DE, FR, GB, US)
config-wifi-interface = { $interface } ist kein Name eines WLAN-Adapters: verwende "auto" (ein USB-WLAN-Adapter, wenn einer eingesteckt ist, sonst der eingebaute) oder einen Namen wie "wlan0" oder "wlan1"
config-radio-both = { $interface } ist auch wifi.interface, der Adapter des Zugangspunkts: ein Adapter kann nicht beides sein; setze wifi.interface = "auto", damit der Zugangspunkt einen anderen Adapter nimmt
config-channel-band-24 = Kanal { $channel } ist kein 2,4-GHz-Kanal{ $other ->
    [ghz5] {" "}(es ist ein 5-GHz-Kanal: setze wifi.band = "5")
   *[none] {""}
}; 2,4-GHz-Kanäle sind 1 bis 13
config-channel-band-5 = Kanal { $channel } ist kein 5-GHz-Kanal{ $other ->
    [ghz24] {" "}(es ist ein 2,4-GHz-Kanal: setze wifi.band = "2.4")
   *[none] {""}
}; 5-GHz-Kanäle sind z. B. 36, 40, 44 oder 48
config-band-not-allowed = ein Zugangspunkt darf { $band } in { $country } nicht nutzen; verwende wifi.band = "2.4"
config-band-not-allowed-no-country = ohne gesetztes wifi.country darf ein Zugangspunkt { $band } nicht nutzen; verwende wifi.band = "2.4"
config-channel-not-allowed = Kanal { $channel } ist für einen Zugangspunkt in { $country } nur mit Radarerkennung erlaubt, die diese Box nicht kann; erlaubt sind dort auf { $band }: { $allowed }
config-channel-not-allowed-no-country = Kanal { $channel } ist für einen Zugangspunkt ohne gesetztes wifi.country nur mit Radarerkennung erlaubt, die diese Box nicht kann; erlaubt sind dann auf { $band }: { $allowed }

## Der Uplink
config-uplink-interface = { $interface } ist kein Name einer Netzwerkschnittstelle (Buchstaben, Ziffern, „_“, „-“, „.“; höchstens 15): verwende "eth0" für Ethernet, "usb0" für USB-Tethering eines Handys oder "wlan0" mit uplink.wifi_ssid für ein WLAN
config-uplink-lo = "lo" kann nicht der Uplink sein: verwende "eth0", "usb0" oder "wlan0"
config-uplink-wifi-radio = { $interface } ist ein WLAN-Adapter: um ein WLAN als Uplink zu nutzen, setze auch uplink.wifi_ssid und uplink.wifi_passphrase (der Zugangspunkt läuft dann auf einem anderen Adapter); sonst verwende „eth0“ oder „usb0“
config-uplink-ssid-not-radio = ist gesetzt, aber uplink.interface { $interface } ist kein WLAN-Adapter: setze uplink.interface = "wlan0" (oder den Adapter, der es sein soll)
config-uplink-passphrase-length = muss für WPA2/WPA3 8 bis 63 Zeichen lang sein (es sind { $n }): das Passwort des WLANs, das uplink.wifi_ssid nennt
config-uplink-passphrase-alone = ist gesetzt, aber uplink.wifi_ssid nicht: gib auch den Namen des WLANs an, mit dem sich die Box verbinden soll
config-probe-url = { $url } ist keine einfache http://-Adresse (Host, optional Port und Pfad), die mit 204 antwortet: z. B. { $example }, oder "" für keine Prüfung

## Der Ort, der Admin, die Seiten
config-site-url = { $url } ist keine http://- oder https://-Adresse
config-site-url-length = darf höchstens 200 Zeichen lang sein, ohne Leerzeichen
config-password-short = muss mindestens 8 Zeichen lang sein
config-metrics-token-needed = braucht metrics.token: ohne Token ist /metrics aus
config-metrics-port = braucht einen Port (z. B. "0.0.0.0:9100"): ein Scraper muss wissen, wo er fragen soll
config-token-short = muss mindestens { $min } Zeichen lang sein (es sind { $n }); z. B. die Ausgabe von `openssl rand -hex 24`, oder entferne den Schlüssel, um /metrics abzuschalten
config-token-char = darf nur Buchstaben, Ziffern und - . _ ~ + / = enthalten (ein Bearer-Token), nicht { $char }

## Export, Alarme, Sperren
config-enterprise-number = muss eine Private Enterprise Number sein (0 sind IANAs eigene Elemente)
config-built-in-rules = eingebaute Regeln: { $detail }
config-rule = Regel Nr. { $n } ({ $name }): { $detail }
config-nft-table-name = 1 bis 64 Buchstaben, Ziffern oder „_“, beginnend mit einem Buchstaben
config-nft-table-own = `{ $table }` ist die eigene Firewall-Tabelle der Box; wähle einen anderen Namen

## Die Datei selbst (die Worte des TOML-Parsers, $detail, bleiben Englisch)
config-parse-line = Zeile { $line } kann nicht gelesen werden: { $detail }
config-parse = die Datei kann nicht gelesen werden: { $detail }

## Die Sprache und der Name des Orts
config-language = { $code } ist keine Sprache, die diese Box spricht (en, de, fr, es, ar)
config-name-length = muss 1 bis 64 Zeichen lang sein

## Von den Startskripten nach der Prüfung gefunden (whereflow setup --hostapd-refused)
problem-hostapd-refused = der WLAN-Chip hat diese Einstellungen abgelehnt (hostapd sagte: { $log }); versuche einen anderen wifi.channel, ein anderes wifi.band oder eine andere wifi.security

## admin.password_hash (die Worte des Hash-Parsers, $detail, bleiben Englisch)
config-hash-not-argon2 = kein argon2-Hash (PHC-Zeichenkette "$argon2id$v=19$..."): { $detail }
config-hash-algorithm = { $algorithm } ist nicht argon2
config-hash-parameters = ungültige Parameter: { $detail }
config-hash-costs = die Kosten m={ $m } t={ $t } p={ $p } sind mehr, als diese Box prüft (höchstens m={ $max_m } t={ $max_t } p={ $max_p })
config-hash-incomplete = der Hash oder das Salt fehlt

## Was `whereflow setup` beim Start auf der Konsole sagt
setup-wrote = { $files } in { $dir } geschrieben
setup-good = die Einstellungen aus { $file } sind in Ordnung: WLAN „{ $ssid }“, { $band ->
        [ghz5] 5 GHz
       *[other] 2,4 GHz
    }, Kanal { $channel }
setup-also-in = (auch in { $file })
setup-security = { $security ->
        [wpa2-pmf] WPA2 mit optionalen geschützten Management-Frames
        [wpa3] WPA3 (SAE) mit geschützten Management-Frames
        [wpa2-wpa3] WPA2/WPA3-Übergangsmodus mit geschützten Management-Frames
       *[wpa2] WPA2
    }
setup-security-auto-unread = WLAN-Sicherheit: { setup-security } (wifi.security „auto“: die Fähigkeiten des WLAN-Chips ließen sich nicht lesen)
setup-security-auto-both = WLAN-Sicherheit: { setup-security } (wifi.security „auto“: der WLAN-Chip beherrscht als Zugangspunkt SAE und geschützte Management-Frames)
setup-security-auto-no-sae = WLAN-Sicherheit: { setup-security } (wifi.security „auto“: der WLAN-Chip beherrscht als Zugangspunkt kein SAE)
setup-security-auto-neither = WLAN-Sicherheit: { setup-security } (wifi.security „auto“: der WLAN-Chip beherrscht als Zugangspunkt weder SAE noch geschützte Management-Frames)
setup-security-as-written = WLAN-Sicherheit: { setup-security } (wifi.security „{ $asked }“)
setup-ap-radio-named = WLAN-Zugangspunkt auf { radio-name } (wifi.interface = { $name })
setup-ap-radio-usb = WLAN-Zugangspunkt auf { radio-name } (wifi.interface = „auto“: ein USB-Adapter, der Zugangspunkt sein kann)
setup-ap-radio-usb-instead = WLAN-Zugangspunkt auf { radio-name } (wifi.interface = „auto“: ein USB-Adapter, der Zugangspunkt sein kann, ist eingesteckt und wird statt { $onboard } benutzt)
setup-ap-radio-no-usb = WLAN-Zugangspunkt auf { radio-name } (wifi.interface = „auto“: kein USB-Adapter eingesteckt, der Zugangspunkt sein kann)
setup-no-radio = kein WLAN-Adapter gefunden: der Zugangspunkt wird auf { $interface } eingerichtet, für den Fall, dass er auftaucht
setup-caps-unread = die Fähigkeiten von { radio-name } ließen sich nicht lesen: { $error }
setup-password-plain = das Admin-Passwort bleibt im Klartext in { $file } ({ $error }); die Box verwendet trotzdem seinen Hash
setup-image-defaults-unused = die Voreinstellungen des Images { $file } werden nicht verwendet: { $error }
setup-passphrase-unsaved = das Passwort des Einrichtungs-WLANs ließ sich nicht in { $file } speichern ({ $error }): es ändert sich bei jedem Start
setup-problems-unwritten = { $file } lässt sich nicht schreiben ({ $error }): die Probleme stehen nur auf dieser Konsole
setup-problems-removed = die Einstellungen sind jetzt in Ordnung: { $file } entfernt
setup-problems-not-removed = die alte Datei { $file } lässt sich nicht entfernen ({ $error })
setup-radios-not-noted = die WLAN-Adapter lassen sich nicht in { $file } vermerken ({ $error })
setup-cannot-write = { $file } lässt sich nicht schreiben: { $error }
setup-cannot-hash = das Admin-Passwort lässt sich nicht hashen: { $error }
