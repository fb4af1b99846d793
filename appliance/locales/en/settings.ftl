# whereflow: why a setting is refused (the config check, config/ and the sections' own
# checks). English is the reference: every other language has exactly these keys, and the
# English text is also what the console, /api/v1/status and the logs say.
# Each reason follows "key: ", e.g. "wifi.passphrase: must be 8 to 63 characters ...".
# Keys (wifi.ssid), values ("auto", "eth0") and file formats are written as the settings file
# has them: do not translate those.

## Numbers and lengths
config-between = must be between { $min } and { $max }
config-between-seconds = must be { $min } to { $max } seconds
config-at-most-day = must be at most { $max } (one day)
config-at-most-off = must be at most { $max } (0 turns the limit off)
config-at-most-key = must be between 1 and { $other }
config-at-most-key-value = must be between 1 and { $other } ({ $max })
config-at-most-bytes = must be at most { $max } bytes
config-at-most-chars = must be at most { $max } characters
config-entropy-bits = must be between { $min } and { $max } (bits per character)
config-idle-timeout = must be between { $min } and { $max } (longer than the event stream's { $keepalive } s keep-alive)
config-at-most-domains = at most { $max } domains
config-at-most-names = at most { $max } names
config-at-most-collectors = at most { $max } collectors
config-latitude-range = must be between -90 and 90
config-longitude-range = must be between -180 and 180

## Text, names and paths
config-not-empty = must not be empty
config-empty-path = an empty path is not a file
config-empty-path-none = an empty path (leave the key out for none)
config-control-chars = must not contain control characters
config-printable-ascii = must be printable ASCII characters only (letters, digits, spaces, punctuation)
config-needed-with = is needed with { $other }
config-interface-name = { $name } is not an interface name
config-domain-empty = { $value }: empty domain name
config-domain-too-long = { $value }: domain name longer than 253 characters
config-domain-bad-label = { $value }: domain label empty or longer than 63 characters
config-org-empty = an empty organization name matches nothing
config-country-code = { $code } is not a two-letter ISO 3166 country code (like "DE")
config-host-name = { $host } is not a host name or address
config-absolute-path = { $path }: must be an absolute path (or empty for none)
# A value refused by a check deeper down, whose own words ($detail) stay English.
config-value-detail = { $detail }

## Addresses and ports
config-need-address = at least one address is needed
config-need-range = at least one range is needed
config-port-zero = port 0 is not a port
config-address-port-zero = { $address }: port 0 is not a port
config-address-twice = { $address } is listed twice
config-not-server = { $server }: not a server address
config-server-loops = { $server } is one of our own dns.listen addresses (it would loop)
config-https-same-port = must differ from web.listen (another port)

## The WiFi network and the radios
config-ssid-empty = is empty, but wifi.passphrase is set: name the network too
config-passphrase-open = must be empty when wifi.security is "open"
config-passphrase-length = must be 8 to 63 characters for WPA2/WPA3 (it has { $n })
config-country-unknown = { $code } is not a country code wireless-regdb knows: use the two-letter ISO 3166 code of the country the appliance is in (e.g. DE, FR, GB, US)
config-wifi-interface = { $interface } is not a WiFi interface's name: use "auto" (a USB WiFi adapter when one is plugged in, else the on-board radio) or a name such as "wlan0" or "wlan1"
config-radio-both = { $interface } is also wifi.interface, the access point's radio: one radio cannot be both; set wifi.interface = "auto" to run the access point on another radio
# $other: ghz5 when the channel is a 5 GHz one, ghz24 when a 2.4 GHz one, else none.
config-channel-band-24 = channel { $channel } is not a 2.4 GHz channel{ $other ->
    [ghz5] {" "}(it is a 5 GHz channel: set wifi.band = "5")
   *[none] {""}
}; 2.4 GHz channels are 1 to 13
config-channel-band-5 = channel { $channel } is not a 5 GHz channel{ $other ->
    [ghz24] {" "}(it is a 2.4 GHz channel: set wifi.band = "2.4")
   *[none] {""}
}; 5 GHz channels are e.g. 36, 40, 44 or 48
config-band-not-allowed = an access point may not use { $band } in { $country }; use wifi.band = "2.4"
config-band-not-allowed-no-country = an access point may not use { $band } without wifi.country set; use wifi.band = "2.4"
config-channel-not-allowed = channel { $channel } is not allowed for an access point in { $country } without radar detection, which this appliance does not do; allowed there on { $band }: { $allowed }
config-channel-not-allowed-no-country = channel { $channel } is not allowed for an access point without wifi.country set without radar detection, which this appliance does not do; allowed there on { $band }: { $allowed }

## The uplink
config-uplink-interface = { $interface } is not an interface name (letters, digits, '_', '-', '.'; at most 15): use "eth0" for Ethernet, "usb0" for a phone's USB tethering or "wlan0" with uplink.wifi_ssid for a WiFi network
config-uplink-lo = "lo" cannot be the uplink: use "eth0", "usb0" or "wlan0"
config-uplink-wifi-radio = { $interface } is a WiFi radio: to use a WiFi network as the uplink, set uplink.wifi_ssid and uplink.wifi_passphrase too (the access point then runs on another radio); otherwise use "eth0" or "usb0"
config-uplink-ssid-not-radio = is set, but uplink.interface { $interface } is not a WiFi radio: set uplink.interface = "wlan0" (or the radio to use)
config-uplink-passphrase-length = must be 8 to 63 characters for WPA2/WPA3 (it has { $n }): the passphrase of the network uplink.wifi_ssid names
config-uplink-passphrase-alone = is set, but uplink.wifi_ssid is not: name the network to join too
config-probe-url = { $url } is not a plain http:// URL (host, optional port and path) that answers 204: e.g. { $example }, or "" for no check

## The site, the admin, the pages
config-site-url = { $url } is not an http:// or https:// address
config-site-url-length = must be at most 200 characters, without spaces
config-password-short = must be at least 8 characters long
config-metrics-token-needed = needs metrics.token: without a token /metrics is off
config-metrics-port = needs a port (e.g. "0.0.0.0:9100"): a scraper must know where to ask
config-token-short = must be at least { $min } characters (it has { $n }); e.g. the output of `openssl rand -hex 24`, or remove the key to turn /metrics off
config-token-char = may hold only letters, digits and - . _ ~ + / = (a bearer token), not { $char }

## Exports, alerts, blocking
config-enterprise-number = must be a Private Enterprise Number (0 is IANA's own elements)
config-built-in-rules = built-in rules: { $detail }
config-rule = rule #{ $n } ({ $name }): { $detail }
config-nft-table-name = 1 to 64 letters, digits or '_', starting with a letter
config-nft-table-own = `{ $table }` is the appliance's own firewall table; pick another name

## The file itself (the TOML parser's own words, $detail, stay English)
config-parse-line = { $detail }
config-parse = { $detail }

## The site's language and name
config-language = { $code } is not a language this appliance speaks (en, de, fr, es, ar)
config-name-length = must be 1 to 64 characters

## Found by the boot scripts after the check (whereflow setup --hostapd-refused)
problem-hostapd-refused = the WiFi chip refused these settings (hostapd said: { $log }); try another wifi.channel, wifi.band or wifi.security

## admin.password_hash (the hash's own parser's words, $detail, stay English)
config-hash-not-argon2 = not an argon2 hash (PHC string "$argon2id$v=19$..."): { $detail }
config-hash-algorithm = { $algorithm } is not argon2
config-hash-parameters = bad parameters: { $detail }
config-hash-costs = costs m={ $m } t={ $t } p={ $p } are more than this appliance verifies (at most m={ $max_m } t={ $max_t } p={ $max_p })
config-hash-incomplete = the hash or the salt is missing

## What `whereflow setup` says on the console at boot (the Raspberry Pi's only screen, read
## by whoever set the appliance up). $error: the OS's or another program's own words (they
## stay English). { radio-name } (pages.ftl) says the radio from $interface, $driver, $bus.
setup-wrote = wrote { $files } in { $dir }
setup-good = settings from { $file } are good: WiFi "{ $ssid }", { $band ->
        [ghz5] 5 GHz
       *[other] 2.4 GHz
    } channel { $channel }
setup-also-in = (also in { $file })
# The access point's WiFi security, inside the setup-security-... messages.
setup-security = { $security ->
        [wpa2-pmf] WPA2 with optional protected management frames
        [wpa3] WPA3 (SAE) with protected management frames
        [wpa2-wpa3] WPA2/WPA3 transition with protected management frames
       *[wpa2] WPA2
    }
setup-security-auto-unread = WiFi security: { setup-security } (wifi.security "auto": the radio's capabilities could not be read)
setup-security-auto-both = WiFi security: { setup-security } (wifi.security "auto": the radio does SAE and protected management frames as an access point)
setup-security-auto-no-sae = WiFi security: { setup-security } (wifi.security "auto": the radio cannot do SAE as an access point)
setup-security-auto-neither = WiFi security: { setup-security } (wifi.security "auto": the radio cannot do SAE or protected management frames as an access point)
setup-security-as-written = WiFi security: { setup-security } (wifi.security "{ $asked }")
setup-ap-radio-named = WiFi access point on { radio-name } (wifi.interface = { $name })
setup-ap-radio-usb = WiFi access point on { radio-name } (wifi.interface = "auto": a USB adapter that can be an access point)
setup-ap-radio-usb-instead = WiFi access point on { radio-name } (wifi.interface = "auto": a USB adapter that can be an access point is plugged in, used instead of { $onboard })
setup-ap-radio-no-usb = WiFi access point on { radio-name } (wifi.interface = "auto": no USB adapter that can be an access point is plugged in)
setup-no-radio = no WiFi radio found: the access point is set up on { $interface } for when it appears
setup-caps-unread = the capabilities of { radio-name } could not be read: { $error }
setup-password-plain = the admin password stays in plain text in { $file } ({ $error }); the appliance uses its hash all the same
setup-image-defaults-unused = image defaults { $file } not used: { $error }
setup-passphrase-unsaved = the setup passphrase could not be saved in { $file } ({ $error }): it changes at every boot
setup-problems-unwritten = cannot write { $file } ({ $error }): the problems are only on this console
setup-problems-removed = the settings are good now: removed { $file }
setup-problems-not-removed = cannot remove the old { $file } ({ $error })
setup-radios-not-noted = cannot note the WiFi radios in { $file } ({ $error })
setup-cannot-write = cannot write { $file }: { $error }
setup-cannot-hash = cannot hash the admin password: { $error }
