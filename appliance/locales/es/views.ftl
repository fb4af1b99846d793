# whereflow: las palabras de las vistas en directo (español). Las mismas claves que en/views.ftl.

## Cantidades
count-device = { $n ->
    [one] { $n } dispositivo
   *[other] { $n } dispositivos
}
count-company = { $n ->
    [one] { $n } empresa
   *[other] { $n } empresas
}
count-country = { $n ->
    [one] { $n } país
   *[other] { $n } países
}
count-connection = { $n ->
    [one] { $n } conexión
   *[other] { $n } conexiones
}
count-tracker = { $n ->
    [one] { $n } rastreador
   *[other] { $n } rastreadores
}
count-place = { $n ->
    [one] { $n } lugar
   *[other] { $n } lugares
}
count-website = { $n ->
    [one] { $n } web o servicio
   *[other] { $n } webs y servicios
}
other-device = { $n ->
    [one] { $n } dispositivo más
   *[other] { $n } dispositivos más
}
other-domain = { $n ->
    [one] { $n } web o servicio más
   *[other] { $n } webs y servicios más
}
other-org = { $n ->
    [one] { $n } empresa más
   *[other] { $n } empresas más
}
other-country = { $n ->
    [one] { $n } país más
   *[other] { $n } países más
}
ago-seconds = hace { $n } s
ago-minutes = hace { $n } min
ago-hours = hace { $n } h
date-time = { $day }/{ $month }/{ $year } { $time }

## El estado en directo
live-live = En directo
live-polling = Se actualiza cada pocos segundos
live-error = No se puede contactar con la caja ({ $error }); reintentando…
live-paused = En pausa

## Nombres en las vistas
name-other = Otros
name-hidden-company = Empresa oculta
name-hidden-website = Web oculta
name-no-dns = sin DNS visto
name-unknown-company = Empresa desconocida
name-unknown-place = Lugar desconocido
name-unknown = Desconocido
name-you = { $name } (tú)
all-devices = Todos los dispositivos ({ $n })
device-not-seen = { $id } (no está ahora)

## Inicio
home-live = Ahora mismo: { $who } hablaron con { $orgs } en { $countries } en los últimos 5 minutos.
home-live-devices = Los dispositivos de aquí
home-live-none = Ningún dispositivo ha enviado nada en los últimos 5 minutos.

## Flujos (sankey)
sankey-when-60 = en el último minuto
sankey-when-300 = en los últimos 5 minutos
sankey-when-900 = en los últimos 15 minutos
sankey-when-session = en esta sesión
sankey-when-mark = desde la marca
sankey-col-devices = Dispositivos
sankey-col-domains = Webs y servicios
sankey-col-orgs = Empresas
sankey-col-countries = Países
sankey-link-tracker = (rastreador o publicidad)
sankey-node-tracker = rastreador o publicidad: { $value }
sankey-showing = Mostrando: { $what }. Conectado con { $parts }. Tócalo otra vez o pulsa Escape para verlo todo.
sankey-pointing = Señalado: { $what }. Conectado con { $parts }.
sankey-focus-hint = Señala o toca un dispositivo, una web, una empresa o un país para seguir su camino.
sankey-none = No hay conexiones { $when }.
sankey-privacy-who = Este dispositivo y los demás (modo privado)
sankey-summary = { $who } intercambiaron { $bytes } con { $orgs } en { $countries } { $when }. El { $share } fue a rastreadores y anunciantes.
sankey-badge-tracker = ⚠ rastreador

## Mapa del mundo
map-home-unset-long = La ubicación de esta caja no está configurada, así que no se dibujan líneas desde ella. Quien la gestiona puede poner site.latitude y site.longitude en su archivo de configuración.
map-home-title = Esta WiFi: la caja a la que estás conectado
map-you-are-here = Estás aquí
map-you-are-here-named = Estás aquí ({ $name })
map-unknown-country = país desconocido
map-place-words = { $where }: { $bytes } de { $devices }, sobre todo { $kind }
map-place-trackers = ; { $share } a rastreadores
map-place-active = ; activo ahora
map-summary = Los datos fueron a { $places } en { $countries }.
map-summary-active = Los datos fueron a { $places } en { $countries }; { $active } activos ahora mismo (laten).
map-none = Todavía no hay conexiones en este periodo.
map-not-on-map = (fuera del mapa)

## Marks and the session's timeline (presenter, sankey, map)
sankey-when-replay = en los 5 minutos antes de este momento de la reproducción
marks-none = Todavía no hay ninguna marca.
marks-none-since = Todavía no hay ninguna marca: se muestra toda la sesión.
marks-latest = Última marca: «{ $label }» a las { $time }.
marks-since = Solo lo que pasó desde la marca: «{ $label }» a las { $time }.
marks-form-label = Marcar este momento
marks-form-placeholder = Abrid ahora vuestra aplicación favorita
marks-form-button = Marcar ahora
marks-bad-label = Una marca necesita un nombre de 1 a { $max } caracteres (este tiene { $n }).
marks-not-set = No se puso la marca: { $why }
timeline-other = Otras empresas
timeline-unknown = Empresa desconocida
timeline-hidden = Oculto por el docente
marks-timeline = Datos por minuto y por empresa en esta sesión, con las marcas

## Replay of a stored session (admin)
replay-title = Reproducción de la sesión { $id }
replay-lede = Reproduce, pausa o arrastra el control: la vista muestra lo que pasaba en ese momento de la sesión.
replay-back = Volver a la vista en directo
replay-play = Reproducir
replay-pause = Pausa
replay-scrub = Momento de la sesión
replay-loading = Cargando la sesión…
replay-position = { $time } ({ $elapsed } de { $total })
replay-gone = La sesión { $id } ya no está guardada: se borró, o nunca existió. Elige otra en la página de administración.
replay-denied = Solo el administrador puede reproducir una sesión: inicia sesión primero en la página de administración.
replay-failed = No se pudo leer la reproducción: { $why }
replay-noscript = La reproducción necesita JavaScript.

## Proyector
presenter-devices-private = dispositivos (sin contar: modo privado)
presenter-devices = dispositivos
presenter-nothing-yet = Nada todavía: abre una app o una web en un móvil conectado a esta WiFi.
presenter-no-trackers = sin rastreadores
presenter-no-devices = Todavía no hay dispositivos.
presenter-fullscreen = Pantalla completa
presenter-leave-fullscreen = Salir de pantalla completa
presenter-sound-on = Sonido de alertas: encendido
presenter-sound-off = Sonido de alertas: apagado
presenter-sound-unavailable = Sonido de alertas: no disponible
presenter-since-mark-on = Desde la marca: sí
presenter-since-mark-off = Desde la marca: no
# La WiFi de la sala (el punto de acceso de la caja) y la conexión hacia fuera, según /api/v1/status.
presenter-room-full = Sala llena: hay { $associated } dispositivos en esta WiFi, más o menos los que admite. Puede que otro dispositivo no consiga entrar; cuando uno se vaya, habrá sitio.
presenter-room-nearly = Casi llena: hay { $associated } de unos { $capacity } dispositivos en esta WiFi.
presenter-uplink-login = La red del colegio pide iniciar sesión: esta caja no llega a internet hasta que alguien inicie sesión. Abre cualquier página web en un dispositivo conectado a esta WiFi e inicia sesión allí.

## My device (live)
me-no-connections = Todavía no hay conexiones.
me-no-lookups = Todavía no se ha buscado ningún nombre.
me-unknown-kind = Tipo desconocido
badge-tracker = rastreador
badge-blocked = bloqueado
unit-sent = enviados
unit-received = recibidos
unit-connections = conexiones

## Alerts (server and live)
alert-outside-host = Un equipo de fuera
alert-other-side = Otro extremo:
alert-first-seen = Visto por primera vez
alert-last-seen = visto por última vez
alert-count = { $n ->
    [one] una vez
   *[other] { $n } veces
}
alert-ignored-until = Ignorada hasta las { $time }
alert-ignore = Ignorar 1 hora
alerts-none = Ninguna alerta
alerts-newest = Las { $shown } más recientes de { $total } alertas
alerts-count = { $n ->
    [one] { $n } alerta
   *[other] { $n } alertas
}
alerts-no-match = Ninguna alerta coincide con este filtro.
alerts-nothing = Nada raro hasta ahora.
alerts-login-ended = Tu sesión de administración ha caducado: vuelve a iniciarla en la página de administración.
alerts-gone = Esta alerta ya no se guarda.
alerts-not-ignored-status = No ignorada ({ $status }).
alerts-unreachable = No se puede contactar con el aparato ({ $error }).

alerts-refused = Rechazado: recarga esta página e inténtalo de nuevo.

## Devices without a name
device-numbered = Dispositivo { $n }
device-address = Dispositivo { $tail }

## What the detectors saw (each alert's sentence; arguments are data: addresses, names, numbers)
alert-msg-encrypted-dns-dot = { $device } abrió una conexión DNS cifrada ({ $how }, puerto 853) con { $to }. Sus búsquedas rodean este aparato, así que no se muestran los nombres que visita.
alert-msg-encrypted-dns-doh = { $device } se conectó a { $to }, un resolvedor público de DNS sobre HTTPS. Sus búsquedas rodean este aparato, cifradas, así que no se muestran los nombres que visita.
alert-msg-encrypted-dns-no-dns = { $device } busca nombres a través de este aparato, pero en { $minutes } minutos abrió conexiones con { $n } direcciones que nunca buscó aquí (la última: { $latest }). Puede que resuelva nombres de otra forma (DNS cifrado dentro de una app o un navegador) o que use direcciones escritas en una app.
alert-msg-upload-sudden = { $device } envió { $bytes } a { $to } en { $seconds } segundos: mucho más de lo que recibió. Puede que estén saliendo archivos, fotos o grabaciones del dispositivo.
alert-msg-upload-sustained = { $device } lleva { $seconds } segundos enviando datos a { $to } sin pausa ({ $bytes } en los últimos { $window } segundos). Algo en el dispositivo envía sin parar: una copia de seguridad, una llamada, una cámara… o datos que salen sin que nadie lo note.
alert-msg-deny-list = { $device } se conectó a { $to }, un destino de la lista de bloqueo «{ $list }».
alert-msg-allow-countries = { $device } se conectó a { $to }: el país { $country } no está en la lista permitida.
alert-msg-allow-orgs = { $device } se conectó a { $to }: la organización { $org } no está en la lista permitida.
alert-msg-allow-domains = { $device } se conectó a { $to }: el dominio no está en la lista permitida.
alert-msg-dns-tunnel-long = { $device } buscó { $n } nombres inusualmente largos y de aspecto aleatorio bajo { $zone } en un minuto (el más largo tiene { $longest } caracteres). En búsquedas DNS como estas se pueden sacar datos escondidos (túnel DNS).
alert-msg-dns-tunnel-unique = { $device } buscó { $n } nombres distintos bajo { $zone } en un minuto. Esconder datos en nombres siempre nuevos es como funciona un túnel DNS.
alert-msg-dns-tunnel-txt = { $device } pidió { $n } registros TXT bajo { $zone } en un minuto. Las respuestas TXT pueden traer datos (túnel DNS); la navegación normal necesita pocas.
alert-msg-scan-ports = { $outside ->
        [yes] Un equipo de fuera, { $who },
       *[no] { $who }
    } probó { $ports } puertos distintos en { $target } en { $seconds } segundos ({ $how ->
        [connection] intentos de conexión, un escaneo SYN o connect
       *[probes] sondas { $probes }
    }): un escaneo de puertos busca servicios por los que entrar.
alert-msg-scan-hosts = { $outside ->
        [yes] Un equipo de fuera, { $who },
       *[no] { $who }
    } { $icmp ->
        [yes] hizo ping a
       *[no] probó el puerto { $port } en
    } { $hosts } equipos distintos de { $network } en { $seconds } segundos ({ $how ->
        [connection] intentos de conexión, un escaneo SYN o connect
       *[probes] sondas { $probes }
    }): un barrido así busca máquinas que atacar.
alert-msg-scan-odd = { $outside ->
        [yes] Un equipo de fuera, { $who },
       *[no] { $who }
    } envió { $n } sondas { $probes } a { $target } en { $seconds } segundos: paquetes con combinaciones de flags que ninguna conexión normal usa, hechos para colar un escaneo de puertos a través de los cortafuegos.
alert-msg-spoofing-gateway = { $known ->
        [yes] El dispositivo con la dirección { $who }
       *[no] Un dispositivo que el aparato aún no conoce
    } reclama la dirección de la puerta de enlace, { $gateway }, en la red local. Los dispositivos que se lo creen le envían su tráfico en lugar de al aparato: puede que alguien intente leer o cambiar el tráfico de los demás (suplantación ARP).
alert-msg-spoofing-conflict = Dos dispositivos reclaman la dirección { $address }: otra tarjeta de red{ $other ->
        [yes] {" "}(el dispositivo con la dirección { $device })
       *[no] {""}
    } la tomó { $seconds } segundos después de que la primera se viera con ella por última vez. O bien dos dispositivos recibieron la misma dirección, o uno se hace pasar por el otro para recibir su tráfico (suplantación ARP).

## Device names the appliance makes up (the server and the scripts say them)
device-name-vendor = Dispositivo { $vendor }
device-name-address = Dispositivo { $tail }
device-name-plain = Dispositivo
device-name-hidden = Dispositivo oculto
device-name-others = Otros dispositivos
device-name-hidden-many = Dispositivos ocultos

## Seudónimos («Nutria azul»): el animal y luego el color, concordado con su género.
pseudonym = { $animal } { $colour }
pseudonym-numbered = { $animal } { $colour } { $round }
animal-otter = Nutria
    .gender = feminine
animal-fox = Zorro
    .gender = masculine
animal-panda = Panda
    .gender = masculine
animal-koala = Koala
    .gender = masculine
animal-tiger = Tigre
    .gender = masculine
animal-lion = León
    .gender = masculine
animal-rabbit = Conejo
    .gender = masculine
animal-owl = Búho
    .gender = masculine
animal-penguin = Pingüino
    .gender = masculine
animal-dolphin = Delfín
    .gender = masculine
animal-whale = Ballena
    .gender = feminine
animal-turtle = Tortuga
    .gender = feminine
animal-frog = Rana
    .gender = feminine
animal-bee = Abeja
    .gender = feminine
animal-butterfly = Mariposa
    .gender = feminine
animal-octopus = Pulpo
    .gender = masculine
animal-hedgehog = Erizo
    .gender = masculine
animal-hamster = Hámster
    .gender = masculine
animal-deer = Ciervo
    .gender = masculine
animal-zebra = Cebra
    .gender = feminine
animal-giraffe = Jirafa
    .gender = feminine
animal-elephant = Elefante
    .gender = masculine
animal-camel = Camello
    .gender = masculine
animal-kangaroo = Canguro
    .gender = masculine
animal-parrot = Loro
    .gender = masculine
animal-flamingo = Flamenco
    .gender = masculine
animal-swan = Cisne
    .gender = masculine
animal-duck = Pato
    .gender = masculine
animal-seal = Foca
    .gender = feminine
animal-beaver = Castor
    .gender = masculine
animal-llama = Llama
    .gender = feminine
animal-badger = Tejón
    .gender = masculine
colour-red = { $gender ->
        [feminine] roja
       *[masculine] rojo
    }
colour-orange = naranja
colour-gold = { $gender ->
        [feminine] dorada
       *[masculine] dorado
    }
colour-green = verde
colour-blue = azul
colour-purple = { $gender ->
        [feminine] morada
       *[masculine] morado
    }
colour-pink = rosa
colour-silver = { $gender ->
        [feminine] plateada
       *[masculine] plateado
    }
colour-teal = turquesa
colour-coral = coral
colour-violet = violeta
colour-mint = menta
colour-amber = ámbar
colour-lime = lima
colour-navy = añil
colour-ruby = rubí
