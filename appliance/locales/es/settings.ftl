# whereflow: por qué se rechaza un ajuste (español). Las mismas claves que en/settings.ftl.
# Cada motivo sigue a «clave: », p. ej. «wifi.passphrase: debe …».
# Las claves (wifi.ssid), los valores ("auto", "eth0") y los formatos de archivo quedan como los
# escribe el archivo de ajustes.

## Números y longitudes
config-between = debe estar entre { $min } y { $max }
config-between-seconds = debe ser de { $min } a { $max } segundos
config-at-most-day = debe ser como máximo { $max } (un día)
config-at-most-off = debe ser como máximo { $max } (0 quita el límite)
config-at-most-key = debe estar entre 1 y { $other }
config-at-most-key-value = debe estar entre 1 y { $other } ({ $max })
config-at-most-bytes = debe tener como máximo { $max } bytes
config-at-most-chars = debe tener como máximo { $max } caracteres
config-entropy-bits = debe estar entre { $min } y { $max } (bits por carácter)
config-idle-timeout = debe estar entre { $min } y { $max } (más que el keep-alive de { $keepalive } s del flujo de eventos)
config-at-most-domains = como máximo { $max } dominios
config-at-most-names = como máximo { $max } nombres
config-at-most-collectors = como máximo { $max } colectores
config-latitude-range = debe estar entre -90 y 90
config-longitude-range = debe estar entre -180 y 180

## Texto, nombres y rutas
config-not-empty = no debe estar vacío
config-empty-path = una ruta vacía no es un archivo
config-empty-path-none = una ruta vacía (quita la clave para «ninguno»)
config-control-chars = no debe contener caracteres de control
config-printable-ascii = solo puede tener caracteres ASCII imprimibles (letras sin tildes ni ñ, dígitos, espacios, signos de puntuación)
config-needed-with = hace falta junto con { $other }
config-interface-name = { $name } no es un nombre de interfaz de red
config-domain-empty = { $value }: nombre de dominio vacío
config-domain-too-long = { $value }: nombre de dominio de más de 253 caracteres
config-domain-bad-label = { $value }: una parte del nombre de dominio está vacía o tiene más de 63 caracteres
config-org-empty = un nombre de organización vacío no coincide con nada
config-country-code = { $code } no es un código de país ISO 3166 de dos letras (como "ES")
config-host-name = { $host } no es un nombre de host ni una dirección
config-absolute-path = { $path }: debe ser una ruta absoluta (o vacía para ninguna)
config-value-detail = no se acepta: { $detail }

## Direcciones y puertos
config-need-address = hace falta al menos una dirección
config-need-range = hace falta al menos un rango de direcciones
config-port-zero = el puerto 0 no es un puerto
config-address-port-zero = { $address }: el puerto 0 no es un puerto
config-address-twice = { $address } aparece dos veces en la lista
config-not-server = { $server }: no es una dirección de servidor
config-server-loops = { $server } es una de nuestras propias direcciones de dns.listen (daría un bucle)
config-https-same-port = debe ser distinto de web.listen (otro puerto)

## La red WiFi y las radios
config-ssid-empty = está vacío, pero wifi.passphrase está definido: indica también el nombre de la red
config-passphrase-open = debe estar vacío cuando wifi.security es "open"
config-passphrase-length = debe tener de 8 a 63 caracteres para WPA2/WPA3 (tiene { $n })
config-country-unknown = { $code } no es un código de país que conozca wireless-regdb: usa el código ISO 3166 de dos letras del país donde está el aparato (p. ej. DE, FR, GB, US)
config-wifi-interface = { $interface } no es el nombre de una radio WiFi: usa "auto" (un adaptador WiFi USB si hay uno conectado, si no la radio integrada) o un nombre como "wlan0" o "wlan1"
config-radio-both = { $interface } es también wifi.interface, la radio del punto de acceso: una radio no puede ser las dos cosas; pon wifi.interface = "auto" para que el punto de acceso use otra radio
config-channel-band-24 = el canal { $channel } no es un canal de 2,4 GHz{ $other ->
    [ghz5] {" "}(es un canal de 5 GHz: pon wifi.band = "5")
   *[none] {""}
}; los canales de 2,4 GHz son del 1 al 13
config-channel-band-5 = el canal { $channel } no es un canal de 5 GHz{ $other ->
    [ghz24] {" "}(es un canal de 2,4 GHz: pon wifi.band = "2.4")
   *[none] {""}
}; los canales de 5 GHz son p. ej. 36, 40, 44 o 48
config-band-not-allowed = un punto de acceso no puede usar { $band } en { $country }; pon wifi.band = "2.4"
config-band-not-allowed-no-country = sin wifi.country definido, un punto de acceso no puede usar { $band }; pon wifi.band = "2.4"
config-channel-not-allowed = el canal { $channel } solo se permite a un punto de acceso en { $country } con detección de radar, que este aparato no hace; allí se permiten en { $band }: { $allowed }
config-channel-not-allowed-no-country = sin wifi.country definido, el canal { $channel } solo se permite a un punto de acceso con detección de radar, que este aparato no hace; se permiten entonces en { $band }: { $allowed }

## El enlace de subida
config-uplink-interface = { $interface } no es un nombre de interfaz de red (letras, dígitos, «_», «-», «.»; 15 como máximo): usa "eth0" para Ethernet, "usb0" para compartir la conexión de un móvil por USB o "wlan0" con uplink.wifi_ssid para una red WiFi
config-uplink-lo = "lo" no puede ser el enlace de subida: usa "eth0", "usb0" o "wlan0"
config-uplink-wifi-radio = { $interface } es una radio WiFi: para usar una red WiFi como enlace de subida, define también uplink.wifi_ssid y uplink.wifi_passphrase (el punto de acceso usa entonces otra radio); si no, usa «eth0» o «usb0»
config-uplink-ssid-not-radio = está definido, pero uplink.interface { $interface } no es una radio WiFi: pon uplink.interface = "wlan0" (o la radio que quieras usar)
config-uplink-passphrase-length = debe tener de 8 a 63 caracteres para WPA2/WPA3 (tiene { $n }): la contraseña de la red que nombra uplink.wifi_ssid
config-uplink-passphrase-alone = está definido, pero uplink.wifi_ssid no: indica también el nombre de la red a la que unirse
config-probe-url = { $url } no es una dirección http:// sencilla (host, puerto y ruta opcionales) que responda 204: p. ej. { $example }, o "" para no comprobar

## El sitio, el admin, las páginas
config-site-url = { $url } no es una dirección http:// o https://
config-site-url-length = debe tener como máximo 200 caracteres, sin espacios
config-password-short = debe tener al menos 8 caracteres
config-metrics-token-needed = necesita metrics.token: sin token, /metrics está desactivado
config-metrics-port = necesita un puerto (p. ej. "0.0.0.0:9100"): un recolector tiene que saber dónde preguntar
config-token-short = debe tener al menos { $min } caracteres (tiene { $n }); p. ej. la salida de `openssl rand -hex 24`, o quita la clave para desactivar /metrics
config-token-char = solo puede tener letras, dígitos y - . _ ~ + / = (un token bearer), no { $char }

## Exportación, alertas, bloqueo
config-enterprise-number = debe ser un Private Enterprise Number (0 son los elementos propios de IANA)
config-built-in-rules = reglas integradas: { $detail }
config-rule = regla n.º { $n } ({ $name }): { $detail }
config-nft-table-name = de 1 a 64 letras, dígitos o «_», empezando por una letra
config-nft-table-own = `{ $table }` es la tabla de cortafuegos propia del aparato; elige otro nombre

## El archivo en sí (las palabras del analizador TOML, $detail, quedan en inglés)
config-parse-line = la línea { $line } no se puede leer: { $detail }
config-parse = el archivo no se puede leer: { $detail }

## El idioma y el nombre del sitio
config-language = { $code } no es un idioma que hable este aparato (en, de, fr, es, ar)
config-name-length = debe tener de 1 a 64 caracteres

## Encontrado por los scripts de arranque tras la comprobación (whereflow setup --hostapd-refused)
problem-hostapd-refused = el chip WiFi rechazó estos ajustes (hostapd dijo: { $log }); prueba otro wifi.channel, wifi.band o wifi.security

## admin.password_hash (las palabras del analizador del hash, $detail, quedan en inglés)
config-hash-not-argon2 = no es un hash argon2 (cadena PHC "$argon2id$v=19$..."): { $detail }
config-hash-algorithm = { $algorithm } no es argon2
config-hash-parameters = parámetros no válidos: { $detail }
config-hash-costs = los costes m={ $m } t={ $t } p={ $p } superan lo que este aparato verifica (como máximo m={ $max_m } t={ $max_t } p={ $max_p })
config-hash-incomplete = falta el hash o la sal

## Lo que `whereflow setup` dice en la consola al arrancar
setup-wrote = { $files } escritos en { $dir }
setup-good = los ajustes de { $file } están bien: WiFi «{ $ssid }», { $band ->
        [ghz5] 5 GHz
       *[other] 2,4 GHz
    }, canal { $channel }
setup-also-in = (también en { $file })
setup-security = { $security ->
        [wpa2-pmf] WPA2 con tramas de gestión protegidas opcionales
        [wpa3] WPA3 (SAE) con tramas de gestión protegidas
        [wpa2-wpa3] modo de transición WPA2/WPA3 con tramas de gestión protegidas
       *[wpa2] WPA2
    }
setup-security-auto-unread = seguridad WiFi: { setup-security } (wifi.security «auto»: no se pudieron leer las capacidades del chip WiFi)
setup-security-auto-both = seguridad WiFi: { setup-security } (wifi.security «auto»: el chip WiFi hace SAE y tramas de gestión protegidas como punto de acceso)
setup-security-auto-no-sae = seguridad WiFi: { setup-security } (wifi.security «auto»: el chip WiFi no puede hacer SAE como punto de acceso)
setup-security-auto-neither = seguridad WiFi: { setup-security } (wifi.security «auto»: el chip WiFi no puede hacer SAE ni tramas de gestión protegidas como punto de acceso)
setup-security-as-written = seguridad WiFi: { setup-security } (wifi.security «{ $asked }»)
setup-ap-radio-named = punto de acceso WiFi en { radio-name } (wifi.interface = { $name })
setup-ap-radio-usb = punto de acceso WiFi en { radio-name } (wifi.interface = «auto»: un adaptador USB que puede ser punto de acceso)
setup-ap-radio-usb-instead = punto de acceso WiFi en { radio-name } (wifi.interface = «auto»: hay conectado un adaptador USB que puede ser punto de acceso, se usa en lugar de { $onboard })
setup-ap-radio-no-usb = punto de acceso WiFi en { radio-name } (wifi.interface = «auto»: no hay conectado ningún adaptador USB que pueda ser punto de acceso)
setup-no-radio = no se encontró ninguna radio WiFi: el punto de acceso se prepara en { $interface } para cuando aparezca
setup-caps-unread = no se pudieron leer las capacidades de { radio-name }: { $error }
setup-password-plain = la contraseña de administración sigue en texto plano en { $file } ({ $error }); el aparato usa su hash de todos modos
setup-image-defaults-unused = los ajustes por defecto de la imagen { $file } no se usan: { $error }
setup-passphrase-unsaved = la contraseña de la red de configuración no se pudo guardar en { $file } ({ $error }): cambia en cada arranque
setup-problems-unwritten = no se puede escribir { $file } ({ $error }): los problemas solo están en esta consola
setup-problems-removed = los ajustes ya están bien: { $file } eliminado
setup-problems-not-removed = no se puede eliminar el archivo antiguo { $file } ({ $error })
setup-radios-not-noted = no se pueden anotar las radios WiFi en { $file } ({ $error })
setup-cannot-write = no se puede escribir { $file }: { $error }
setup-cannot-hash = no se puede calcular el hash de la contraseña de administración: { $error }
