# whereflow : pourquoi un réglage est refusé (français). Les mêmes clés que en/settings.ftl.
# Chaque raison suit « clé : », p. ex. « wifi.passphrase : doit … ».
# Les clés (wifi.ssid), les valeurs ("auto", "eth0") et les formats de fichier restent tels que
# le fichier de réglages les écrit.

## Nombres et longueurs
config-between = doit être compris entre { $min } et { $max }
config-between-seconds = doit être de { $min } à { $max } secondes
config-at-most-day = doit valoir au plus { $max } (un jour)
config-at-most-off = doit valoir au plus { $max } (0 désactive la limite)
config-at-most-key = doit être compris entre 1 et { $other }
config-at-most-key-value = doit être compris entre 1 et { $other } ({ $max })
config-at-most-bytes = doit faire au plus { $max } octets
config-at-most-chars = doit faire au plus { $max } caractères
config-entropy-bits = doit être compris entre { $min } et { $max } (bits par caractère)
config-idle-timeout = doit être compris entre { $min } et { $max } (plus long que le keep-alive de { $keepalive } s du flux d’événements)
config-at-most-domains = au plus { $max } domaines
config-at-most-names = au plus { $max } noms
config-at-most-collectors = au plus { $max } collecteurs
config-latitude-range = doit être comprise entre -90 et 90
config-longitude-range = doit être comprise entre -180 et 180

## Texte, noms et chemins
config-not-empty = ne doit pas être vide
config-empty-path = un chemin vide n’est pas un fichier
config-empty-path-none = un chemin vide (omets la clé pour « aucun »)
config-control-chars = ne doit pas contenir de caractères de contrôle
config-printable-ascii = ne doit contenir que des caractères ASCII imprimables (lettres sans accents, chiffres, espaces, ponctuation)
config-needed-with = est nécessaire avec { $other }
config-interface-name = { $name } n’est pas un nom d’interface réseau
config-domain-empty = { $value } : nom de domaine vide
config-domain-too-long = { $value } : nom de domaine de plus de 253 caractères
config-domain-bad-label = { $value } : une partie du nom de domaine est vide ou dépasse 63 caractères
config-org-empty = un nom d’organisation vide ne correspond à rien
config-country-code = { $code } n’est pas un code de pays ISO 3166 à deux lettres (comme "FR")
config-host-name = { $host } n’est ni un nom d’hôte ni une adresse
config-absolute-path = { $path } : doit être un chemin absolu (ou vide pour aucun)
config-value-detail = valeur refusée : { $detail }

## Adresses et ports
config-need-address = il faut au moins une adresse
config-need-range = il faut au moins une plage d’adresses
config-port-zero = le port 0 n’est pas un port
config-address-port-zero = { $address } : le port 0 n’est pas un port
config-address-twice = { $address } figure deux fois dans la liste
config-not-server = { $server } : pas une adresse de serveur
config-server-loops = { $server } est l’une de nos propres adresses dns.listen (cela ferait une boucle)
config-https-same-port = doit être différent de web.listen (un autre port)

## Le réseau WiFi et les radios
config-ssid-empty = est vide, mais wifi.passphrase est défini : indique aussi le nom du réseau
config-passphrase-open = doit être vide quand wifi.security vaut "open"
config-passphrase-length = doit compter de 8 à 63 caractères pour WPA2/WPA3 (il en a { $n })
config-country-unknown = { $code } n’est pas un code de pays connu de wireless-regdb : utilise le code ISO 3166 à deux lettres du pays où se trouve le boîtier (par ex. DE, FR, GB, US)
config-wifi-interface = { $interface } n’est pas le nom d’une radio WiFi : utilise "auto" (un adaptateur WiFi USB s’il y en a un de branché, sinon la radio intégrée) ou un nom comme "wlan0" ou "wlan1"
config-radio-both = { $interface } est aussi wifi.interface, la radio du point d’accès : une radio ne peut pas faire les deux ; mets wifi.interface = "auto" pour que le point d’accès utilise une autre radio
config-channel-band-24 = le canal { $channel } n’est pas un canal 2,4 GHz{ $other ->
    [ghz5] {" "}(c’est un canal 5 GHz : mets wifi.band = "5")
   *[none] {""}
} ; les canaux 2,4 GHz vont de 1 à 13
config-channel-band-5 = le canal { $channel } n’est pas un canal 5 GHz{ $other ->
    [ghz24] {" "}(c’est un canal 2,4 GHz : mets wifi.band = "2.4")
   *[none] {""}
} ; les canaux 5 GHz sont par ex. 36, 40, 44 ou 48
config-band-not-allowed = un point d’accès ne peut pas utiliser { $band } dans le pays { $country } ; mets wifi.band = "2.4"
config-band-not-allowed-no-country = sans wifi.country défini, un point d’accès ne peut pas utiliser { $band } ; mets wifi.band = "2.4"
config-channel-not-allowed = le canal { $channel } n’est permis à un point d’accès dans le pays { $country } qu’avec la détection de radar, que ce boîtier ne fait pas ; permis là-bas sur { $band } : { $allowed }
config-channel-not-allowed-no-country = sans wifi.country défini, le canal { $channel } n’est permis à un point d’accès qu’avec la détection de radar, que ce boîtier ne fait pas ; permis alors sur { $band } : { $allowed }

## La liaison montante
config-uplink-interface = { $interface } n’est pas un nom d’interface réseau (lettres, chiffres, « _ », « - », « . » ; 15 au plus) : utilise "eth0" pour l’Ethernet, "usb0" pour le partage de connexion USB d’un téléphone ou "wlan0" avec uplink.wifi_ssid pour un réseau WiFi
config-uplink-lo = "lo" ne peut pas être la liaison montante : utilise "eth0", "usb0" ou "wlan0"
config-uplink-wifi-radio = { $interface } est une radio WiFi : pour utiliser un réseau WiFi comme liaison montante, définis aussi uplink.wifi_ssid et uplink.wifi_passphrase (le point d’accès utilise alors une autre radio) ; sinon utilise « eth0 » ou « usb0 »
config-uplink-ssid-not-radio = est défini, mais uplink.interface { $interface } n’est pas une radio WiFi : mets uplink.interface = "wlan0" (ou la radio à utiliser)
config-uplink-passphrase-length = doit compter de 8 à 63 caractères pour WPA2/WPA3 (il en a { $n }) : le mot de passe du réseau que nomme uplink.wifi_ssid
config-uplink-passphrase-alone = est défini, mais uplink.wifi_ssid ne l’est pas : indique aussi le nom du réseau à rejoindre
config-probe-url = { $url } n’est pas une simple adresse http:// (hôte, port et chemin facultatifs) qui répond 204 : par ex. { $example }, ou "" pour aucune vérification

## Le site, l’admin, les pages
config-site-url = { $url } n’est pas une adresse http:// ou https://
config-site-url-length = doit faire au plus 200 caractères, sans espaces
config-password-short = doit compter au moins 8 caractères
config-metrics-token-needed = nécessite metrics.token : sans jeton, /metrics est désactivé
config-metrics-port = nécessite un port (par ex. "0.0.0.0:9100") : un collecteur doit savoir où demander
config-token-short = doit compter au moins { $min } caractères (il en a { $n }) ; par ex. la sortie de `openssl rand -hex 24`, ou supprime la clé pour désactiver /metrics
config-token-char = ne peut contenir que des lettres, des chiffres et - . _ ~ + / = (un jeton bearer), pas { $char }

## Export, alertes, blocage
config-enterprise-number = doit être un Private Enterprise Number (0 désigne les éléments propres à l’IANA)
config-built-in-rules = règles intégrées : { $detail }
config-rule = règle n° { $n } ({ $name }) : { $detail }
config-nft-table-name = 1 à 64 lettres, chiffres ou « _ », commençant par une lettre
config-nft-table-own = `{ $table }` est la table de pare-feu du boîtier lui-même ; choisis un autre nom

## Le fichier lui-même (les mots de l’analyseur TOML, $detail, restent en anglais)
config-parse-line = la ligne { $line } ne peut pas être lue : { $detail }
config-parse = le fichier ne peut pas être lu : { $detail }

## La langue et le nom du site
config-language = { $code } n’est pas une langue que ce boîtier parle (en, de, fr, es, ar)
config-name-length = doit compter de 1 à 64 caractères

## Trouvé par les scripts de démarrage après la vérification (whereflow setup --hostapd-refused)
problem-hostapd-refused = la puce WiFi a refusé ces réglages (hostapd a dit : { $log }) ; essaie un autre wifi.channel, wifi.band ou wifi.security

## admin.password_hash (les mots de l’analyseur du hachage, $detail, restent en anglais)
config-hash-not-argon2 = pas un hachage argon2 (chaîne PHC "$argon2id$v=19$...") : { $detail }
config-hash-algorithm = { $algorithm } n’est pas argon2
config-hash-parameters = paramètres invalides : { $detail }
config-hash-costs = les coûts m={ $m } t={ $t } p={ $p } dépassent ce que ce boîtier vérifie (au plus m={ $max_m } t={ $max_t } p={ $max_p })
config-hash-incomplete = le hachage ou le sel manque

## Ce que `whereflow setup` dit sur la console au démarrage
setup-wrote = { $files } écrits dans { $dir }
setup-good = les réglages de { $file } sont bons : WiFi « { $ssid } », { $band ->
        [ghz5] 5 GHz
       *[other] 2,4 GHz
    }, canal { $channel }
setup-also-in = (aussi dans { $file })
setup-security = { $security ->
        [wpa2-pmf] WPA2 avec trames de gestion protégées en option
        [wpa3] WPA3 (SAE) avec trames de gestion protégées
        [wpa2-wpa3] mode de transition WPA2/WPA3 avec trames de gestion protégées
       *[wpa2] WPA2
    }
setup-security-auto-unread = sécurité WiFi : { setup-security } (wifi.security « auto » : les capacités de la puce WiFi n’ont pas pu être lues)
setup-security-auto-both = sécurité WiFi : { setup-security } (wifi.security « auto » : la puce WiFi est capable de SAE et des trames de gestion protégées en point d’accès)
setup-security-auto-no-sae = sécurité WiFi : { setup-security } (wifi.security « auto » : la puce WiFi n’est pas capable de SAE en point d’accès)
setup-security-auto-neither = sécurité WiFi : { setup-security } (wifi.security « auto » : la puce WiFi n’est capable ni de SAE ni des trames de gestion protégées en point d’accès)
setup-security-as-written = sécurité WiFi : { setup-security } (wifi.security « { $asked } »)
setup-ap-radio-named = point d’accès WiFi sur { radio-name } (wifi.interface = { $name })
setup-ap-radio-usb = point d’accès WiFi sur { radio-name } (wifi.interface = « auto » : un adaptateur USB qui peut être point d’accès)
setup-ap-radio-usb-instead = point d’accès WiFi sur { radio-name } (wifi.interface = « auto » : un adaptateur USB qui peut être point d’accès est branché, il est utilisé à la place de { $onboard })
setup-ap-radio-no-usb = point d’accès WiFi sur { radio-name } (wifi.interface = « auto » : aucun adaptateur USB qui peut être point d’accès n’est branché)
setup-no-radio = aucune radio WiFi trouvée : le point d’accès est préparé sur { $interface } pour le moment où elle apparaîtra
setup-caps-unread = les capacités de { radio-name } n’ont pas pu être lues : { $error }
setup-password-plain = le mot de passe d’administration reste en clair dans { $file } ({ $error }) ; le boîtier utilise quand même son empreinte
setup-image-defaults-unused = réglages par défaut de l’image { $file } non utilisés : { $error }
setup-passphrase-unsaved = le mot de passe du réseau de configuration n’a pas pu être enregistré dans { $file } ({ $error }) : il change à chaque démarrage
setup-problems-unwritten = impossible d’écrire { $file } ({ $error }) : les problèmes ne sont que sur cette console
setup-problems-removed = les réglages sont bons maintenant : { $file } supprimé
setup-problems-not-removed = impossible de supprimer l’ancien fichier { $file } ({ $error })
setup-radios-not-noted = impossible de noter les radios WiFi dans { $file } ({ $error })
setup-cannot-write = impossible d’écrire { $file } : { $error }
setup-cannot-hash = impossible de calculer l’empreinte du mot de passe d’administration : { $error }
