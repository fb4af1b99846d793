# whereflow: las páginas del servidor (español). Las mismas claves que en/pages.ftl.
# Los mensajes con etiquetas (<strong>, <a>) se insertan como HTML.

## Números
number-decimal = ,
number-group = .

## La plantilla
language-label = Idioma
skip-to-content = Saltar al contenido
nav-label = Vistas
nav-home = Inicio
nav-flows = Flujos
nav-map = Mapa
nav-alerts = Alertas
nav-me = Mi dispositivo
nav-presenter = Proyector
footer-local = Todo lo que hay en estas páginas sale de esta caja; no se carga nada de internet.
footer-outlines = contornos del mapa de Natural Earth
footer-sources = todas las fuentes de datos

## Títulos de las páginas
title-home = ¿Adónde van tus datos?
title-sankey = Flujos: del dispositivo al país
title-map = Mapa del mundo
title-presenter = Proyector
title-me = Mi dispositivo
title-alerts = Alertas
title-admin = Administración
title-takehome = Resumen para llevar

## Palabras comunes
how-to-read = Cómo leerlo
window-label = Periodo
window-1 = 1 min
window-5 = 5 min
window-15 = 15 min
window-session = Sesión
window-mark = Desde la marca
filter-device = Dispositivo
filter-all-devices = Todos los dispositivos
legend-label = Leyenda
waiting-for-data = Esperando datos…
col-device = Dispositivo
col-service = Web o servicio
col-company = Empresa
col-country = País
col-data = Datos
col-tracker = Rastreador
col-place = Lugar
col-devices = Dispositivos
col-mostly = Sobre todo
col-companies = Empresas
col-trackers = Rastreadores

## Inicio
home-title = ¿Adónde van tus datos?
home-lede = Cada móvil, tableta y portátil de esta WiFi habla sin parar con ordenadores de todo el mundo, aunque nadie lo toque. Esta caja es la WiFi a la que están conectados, así que ve <strong>con quién habla cada dispositivo</strong> y <strong>cuánto</strong>, y lo muestra aquí, en directo.
home-card-flows = De cada dispositivo a las webs y servicios que usa, las empresas que hay detrás y los países donde están.
home-card-map-title = Mapa del mundo
home-card-map = Líneas desde aquí a cada ciudad y país adonde fueron los datos.
home-card-me = Solo tu dispositivo: qué buscó, con quién habló, cuántos rastreadores.
home-card-presenter = Para un proyector: cómo conectarse y las cifras de todo el grupo en letra grande.
home-read-title = Cómo leer el diagrama de flujos
home-read-1 = Léelo de <strong>izquierda a derecha</strong>: los dispositivos, luego las webs y servicios que usaron, luego la empresa que gestiona cada uno y luego el país donde está el ordenador que respondió.
home-read-2 = Cada banda de color son datos que recorren ese camino. <strong>Cuanto más ancha la banda, más datos</strong> (o, si cambias a «Conexiones», más conexiones distintas).
home-read-3 = Las bandas con <span class="badge tracker">rayas naranjas</span> y los nombres marcados con <strong>⚠</strong> van a rastreadores o anunciantes.
home-read-4 = Lo pequeño se agrupa en una caja llamada «Otros …» para que la imagen se pueda leer. La tabla bajo el diagrama describe con palabras los caminos más grandes.
home-read-5 = Señala, toca o selecciona con el tabulador una caja para seguir solo sus caminos. Tócala otra vez (o pulsa Escape) para verlo todo.
home-read-6 = Los botones eligen el tiempo: los últimos 1, 5 o 15 minutos, o toda la sesión.
home-map-title = Cómo leer el mapa
home-map = La casa es esta WiFi. Cada círculo es un lugar que recibió datos: cuanto más grande el círculo, más datos. El número de dentro dice <strong>cuántos dispositivos</strong> enviaron datos allí. Su color y la palabra de al lado dicen qué tipo de servicio fue la mayor parte. Un anillo que late significa que están yendo datos allí <strong>ahora mismo</strong>. Un anillo discontinuo significa que parte de los datos fue a rastreadores; una línea discontinua, que fue la mayoría.
home-trackers-title = ¿Qué es un rastreador?
home-trackers = Un rastreador es un servicio que recoge lo que haces, a menudo sin que lo veas: qué apps abres, qué páginas lees, dónde estás, qué tocas. Las mismas pocas empresas están dentro de miles de apps y webs, así que pueden seguir a una persona de una a otra y crear un perfil para vender publicidad. Las apps y webs los incluyen para la publicidad y para medir cómo se usan.
home-categories-title = Los tipos de servicios
home-counts-as-tracking = cuenta como rastreo
home-limits-title = Qué puede ver esta caja y qué no
home-limits-1 = Ve los <strong>nombres</strong> que busca un dispositivo (como <code>bbc.co.uk</code>) y las <strong>conexiones</strong> que abre: con qué ordenador, cuándo y cuántos datos.
home-limits-2 = <strong>No</strong> ve lo que hay dentro: mensajes, contraseñas, fotos y páginas van cifrados entre el dispositivo y el servicio.
home-limits-3 = «sin DNS visto» significa que un dispositivo se conectó sin buscar antes el nombre a través de esta caja: recordaba la dirección, la app la lleva incorporada o el dispositivo usa DNS cifrado.
home-limits-4 = Los países y ciudades son donde está registrado o se encuentra el ordenador que responde, consultados en una base de datos de esta caja. Las grandes empresas tienen ordenadores en muchos países; el mapa muestra el que respondió.
home-sources-title = Fuentes de datos
home-sources-intro = Todo se consulta en esta caja, a partir de estas fuentes:
home-sources-error = No se pudo leer la lista de fuentes: { $error }
home-sources-countries = Nombres de países
home-sources-countries-from = del paquete i18n-iso-countries
home-sources-d3 = y topojson para dibujar
home-sources-fluent = para las traducciones

## Flujos (sankey)
sankey-title = Adónde fluyen los datos
sankey-lede = De izquierda a derecha: cada dispositivo, las webs y servicios que usó, las empresas que hay detrás y sus países. Las bandas más anchas llevan más.
sankey-metric-label = El ancho de banda muestra
sankey-metric-bytes = Datos
sankey-metric-connections = Conexiones
sankey-legend-data = datos
sankey-legend-tracker = rastreador o publicidad
sankey-legend-other = «Otros …» agrupa los pequeños
sankey-chart-label = Diagrama de flujos: dispositivos, webs, empresas, países
sankey-empty = Todavía no hay nada que mostrar en este periodo. Abre una app o una web en un dispositivo conectado a esta WiFi y aparecerá aquí en unos segundos.
sankey-noscript = El diagrama en directo necesita JavaScript. Sin él, <a href="/me">Mi dispositivo</a> muestra las conexiones de tu propio dispositivo.
sankey-table-caption = Los caminos más grandes, en palabras

## Mapa del mundo
map-title = En qué parte del mundo
map-lede = Líneas desde esta WiFi a cada lugar al que sus dispositivos enviaron datos.
map-home-unset = La ubicación de esta caja no está configurada, así que no se dibujan líneas desde ella.
map-noscript = El mapa en directo necesita JavaScript. Sin él, <a href="/me">Mi dispositivo</a> enumera los países con los que habló tu dispositivo.
map-legend-home = esta WiFi
map-legend-circle = tamaño del círculo: cuántos datos · número: cuántos dispositivos
map-legend-pulse = anillo: activo ahora mismo
map-legend-ring = anillo discontinuo: parte de los datos fue a ⚠ rastreadores
map-legend-dash = línea discontinua: sobre todo ⚠ rastreadores
map-colours-label = Colores
map-table-caption = Los lugares, en palabras
map-credits = Contornos de los países: Natural Earth (dominio público).

## Proyector
presenter-join = 1. Conéctate a la WiFi
presenter-network = Red
presenter-password = Contraseña
presenter-no-wifi = Escanea el código de abajo después de conectarte a la WiFi de esta caja. (Su código QR de la WiFi aparece aquí cuando <code>wifi.ssid</code> está configurado.)
presenter-open = Abre
presenter-open-why = para ver adónde van los datos de tu dispositivo
presenter-https = Administración por HTTPS:
presenter-certificate = certificado SHA-256
presenter-totals = Todo el grupo, en esta sesión
presenter-companies = empresas
presenter-countries = países
presenter-tracker-share = de los datos a ⚠ rastreadores y anuncios
presenter-top-orgs = Empresas principales
presenter-per-device = Rastreadores por dispositivo

## Los tipos de servicios
category-advertising = Publicidad
category-advertising-explain = Empresas que eligen y muestran anuncios. Para elegir un anuncio para ti recogen lo que miras, a menudo en muchas apps y webs.
category-analytics = Rastreo y analítica
category-analytics-explain = Servicios que miden lo que haces en una app o en una web: qué páginas abres, cuánto tiempo te quedas, qué tocas. Muchos te siguen de una web a otra.
category-social = Redes sociales
category-social-explain = Redes sociales y apps de mensajería: publicaciones, fotos, chats y los botones e inicios de sesión que ponen en otras apps.
category-video = Vídeo y ocio
category-video-explain = Vídeo, música, juegos y noticias: lo que ves, juegas, escuchas o lees.
category-cdn = Red de distribución
category-cdn-explain = Redes de distribución y alojamiento: grandes centros de datos que guardan y reparten imágenes, vídeos y código de muchas empresas distintas, cerca de ti para que cargue rápido.
category-platform = Servicios de plataforma
category-platform-explain = Servicios diarios del móvil o del ordenador y de las grandes plataformas: búsqueda, cuentas, correo, mapas, tiendas de apps, actualizaciones, almacenamiento en la nube y pagos.
category-other = Otros
category-other-explain = Una empresa conocida cuyo servicio no encaja en ninguno de los otros grupos, por ejemplo ayuda por chat o avisos de cookies.

## Los tipos de alertas
alert-kind-dns_tunnel = Datos ocultos en DNS
alert-kind-dns_tunnel-explain = Un dispositivo buscó muchos nombres largos, de aspecto aleatorio o siempre nuevos bajo un mismo dominio. Se pueden sacar datos a escondidas dentro de búsquedas DNS como estas.
alert-kind-scan = Escaneo
alert-kind-scan-explain = Un dispositivo (o un equipo de fuera) probó muchos puertos o muchos equipos en poco tiempo, como hace quien busca una forma de entrar.
alert-kind-spoofing = Suplantación de dirección
alert-kind-spoofing-explain = Un dispositivo reclamó una dirección que pertenece a otro dispositivo o a esta caja: puede que intente leer el tráfico de los demás.
alert-kind-upload = Subida grande
alert-kind-upload-explain = Un dispositivo envió muchos más datos de lo normal: puede que estén saliendo archivos, fotos o grabaciones.
alert-kind-deny_list = Destino bloqueado
alert-kind-deny_list-explain = Una conexión fue a un país, empresa o nombre de la lista de bloqueo de esta caja (o que no está en su lista de permitidos).
alert-kind-encrypted_dns = DNS cifrado
alert-kind-encrypted_dns-explain = Un dispositivo buscó nombres sin pasar por esta caja (DNS cifrado), así que aquí no se pueden mostrar los nombres que visita.

## Table columns (more)
col-kind = Tipo
col-where = Dónde
col-sent = Enviado
col-received = Recibido
col-connections = Conexiones
col-minute = Minuto
col-new-connections = Conexiones nuevas
col-lookups = Nombres buscados

## My device (/me)
me-only-this = Esta página muestra el dispositivo que la abrió, y solo ese.
me-address = dirección
me-you-are = Eres
me-for-session = en esta sesión. En la pantalla grande:
me-made-by = Fabricado por { $vendor }.
me-private-mac = Usa una dirección WiFi privada (aleatoria), así que no se sabe quién lo fabricó.
me-hostname = Se llama a sí mismo «{ $name }».
me-unknown = Todavía no hay nada de este dispositivo. Abre una app o una web en él y vuelve: aparecerá aquí en pocos segundos. (Esta página muestra el dispositivo en el que se abre; en otra WiFi no tiene nada que mostrar.)
me-nickname-locked = Tu profesor o profesora ha bloqueado el apodo de este dispositivo: no se puede cambiar en esta sesión.
me-nickname-label = Apodo (lo que todos ven en la pantalla grande)
me-nickname-placeholder = p. ej. el móvil de Ana
me-save = Guardar
me-privacy-on = El modo privado está activado: los demás solo ven tu dispositivo dentro de «Otros dispositivos», nunca por su nombre.
me-privacy-off = Todos en esta WiFi pueden ver las conexiones de este dispositivo en el diagrama de flujos y en el mapa, con ese nombre (nunca el nombre ni la dirección del propio dispositivo). Tu apodo lo sustituye; una sesión nueva empieza sin él.
me-takehome = <a href="/me/takehome">Resumen para llevar</a>: una página para imprimir o guardar como PDF, con tus datos para descargar (CSV, JSON).
me-fig-sent = enviados
me-fig-received = recibidos
me-fig-trackers = ⚠ rastreadores
me-fig-companies = empresas
me-fig-countries = países
me-alerts-title = Alertas sobre este dispositivo
me-alerts-none = No se ha visto nada raro de este dispositivo.
me-alerts-what = Lo que buscan los detectores: <a href="/alerts#kinds-h">la página de alertas</a>.
me-detectors-off = Los detectores están apagados en este aparato.
me-orgs-title = Empresas con las que habló
me-countries-title = Países
me-timeline-title = Lo que buscó, lo más reciente primero
me-timeline-note = Cada nombre que el dispositivo pidió a esta WiFi.
me-forget-title = Olvidar este dispositivo
me-forget-confirm = Sí, borrar de este aparato las conexiones, búsquedas y el apodo de este dispositivo
me-forget-button = Olvidar mi dispositivo
me-refused-title = No guardado
me-back = Volver a tu dispositivo
me-not-changed = Sin cambios: { $why }.
me-nickname-refused = Ese apodo no se puede usar: { $why }.
me-forget-unticked = Marca la casilla para confirmar que se deben borrar los datos de este dispositivo.
me-forget-failed = Todavía no se ha podido borrar todo: { $why }. Inténtalo de nuevo.
me-form-refused = No se pudo comprobar este formulario: { $why }. Recarga la página e inténtalo de nuevo.

## Take-home summary (/me/takehome)
th-back = ← Volver a tu dispositivo
th-download = Descarga tus datos:
th-csv = CSV (hoja de cálculo)
th-print = Para guardar esta página en papel o como PDF, usa «Imprimir» en tu navegador.
th-title = Adónde fueron mis datos
th-in-session = en esta sesión
th-made = creado el { $when }
th-fig-tracker-companies = empresas de rastreo
th-companies-title = Empresas con las que habló mi dispositivo
th-no-connections = No se vio ninguna conexión de este dispositivo.
th-unknown-kind = Tipo desconocido
th-tracker = (rastreador)
th-countries-title = Países a los que fueron mis datos
th-no-country = No se conoce ningún país para las conexiones de este dispositivo.
th-trackers-title = Los rastreadores y lo que hacen
th-no-trackers = No se vio ninguna empresa de publicidad o rastreo desde este dispositivo.
th-minutes-title = Mis minutos con más tráfico
th-no-traffic = No se vio tráfico de este dispositivo.
th-spread = Los datos de una conexión larga se reparten por igual entre los minutos en que estuvo abierta.
th-marks-title = Las marcas de la clase
th-marks-note = Lo que se pidió a la clase, y cuándo.
th-note = Este resumen lo hizo el aparato whereflow del aula, con lo que vio de este dispositivo durante la sesión; para hacerlo no se envió nada a ninguna parte.
th-in-downloads = { $lookups ->
    [one] { $lookups } nombre buscado
   *[other] { $lookups } nombres buscados
} y { $flows ->
    [one] { $flows } conexión están
   *[other] { $flows } conexiones están
} en las descargas.
th-listed-kind = Publicidad o rastreo
th-listed-explain = Las listas de bloqueo públicas (EasyList, EasyPrivacy) lo tienen como servidor de publicidad o rastreo: recoge lo que haces, a menudo a través de muchas apps y webs.
th-not-yours-title = No es tu dispositivo
th-not-yours = Este es el resumen de otro dispositivo. Solo ese mismo dispositivo, o el profesorado con sesión iniciada en la página de administración, puede abrirlo.
th-bad-device-title = No es una dirección
th-bad-device = El valor device= no es una dirección.

## Alerts (/alerts)
alerts-lede = Lo que los detectores de este aparato notaron en el tráfico: datos ocultos en el DNS, escaneos, suplantación de direcciones, subidas grandes, destinos en lista y DNS cifrado. Lo más reciente primero.
alerts-lede-privacy = El modo privado está activado: solo ves las alertas de tu propio dispositivo.
alerts-kind = Tipo
alerts-all-kinds = Todos los tipos
alerts-device = Dispositivo
alerts-all-devices = Todos los dispositivos
alerts-show = Mostrar
alerts-admin-can = Quien administra puede ignorar una alerta durante una hora tras iniciar sesión en la <a href="/admin">página de administración</a>.
alerts-off = Los detectores están apagados en este aparato (<code>detect.enabled = false</code> en su configuración), así que no hay alertas.
alerts-kinds-title = Qué significa cada tipo
alerts-privacy-notice = El modo privado está activado: esta página solo muestra las alertas de tu propio dispositivo.
alerts-ignored-notice = Ignorada durante 1 hora: hasta entonces no vuelven a saltar alertas de ese tipo para ese dispositivo (y dominio).
alerts-no-such-kind = No existe ningún tipo de alerta llamado «{ $kind }»: se muestran todos los tipos.
alerts-no-such-device = «{ $device }» no es una dirección de dispositivo: se muestran todos los dispositivos.
alerts-not-ignored = No ignorada
alerts-back = Volver a las alertas
alerts-detectors-off = Los detectores están apagados (detect.enabled = false).

## Marks and the session's timeline (presenter, flows, map)
marks-title = Marcas
unit-new-connections = conexiones nuevas
unit-lookups = nombres buscados

## Admin page, before logging in
admin-off-title = Las páginas de administración están apagadas
admin-off-1 = No hay contraseña de administración. Para activarlas, abre el archivo de configuración (<code>whereflow-settings.toml</code> en la partición de arranque de la tarjeta SD; cualquier portátil puede editarlo) y añade:
admin-off-example = una contraseña de al menos 8 caracteres
admin-off-2 = Después reinicia el aparato. En su primer arranque, whereflow sustituye la contraseña del archivo por un hash (<code>password_hash = "$argon2id$..."</code>), así que el archivo ya no la muestra.
admin-login-title = Iniciar sesión
admin-login-what = Aquí quien dirige la sesión inicia sesiones nuevas, bloquea rastreadores, anuncios y destinos, corta conexiones, exporta lo grabado y decide cuánto tiempo se guarda.
admin-plain-http = <strong>Esta página llegó por HTTP sin cifrar.</strong> En una WiFi WPA2, quien conozca la contraseña puede leer lo que envían los demás si los vio conectarse, así que también podría leer la contraseña de administración escrita aquí.
admin-https-there = Inicia sesión mejor en <a href="{ $url }">{ $url }</a> (el navegador avisa una vez sobre el certificado: es correcto si su huella SHA-256 es <code>{ $fingerprint }</code>, que también aparece en la vista de presentación).
admin-https-none = Configura <code>web.https_listen</code> para iniciar sesión por HTTPS, o hazlo por cable o desde el propio aparato.
admin-password = Contraseña de administración
admin-login-button = Iniciar sesión
admin-login-empty = Escribe la contraseña de administración.
admin-login-wrong = Contraseña incorrecta.
admin-login-too-many-device = Demasiadas contraseñas incorrectas desde este dispositivo: inténtalo de nuevo dentro de { $seconds } segundos.
admin-login-too-many-all = Demasiadas contraseñas incorrectas en este aparato: inténtalo de nuevo dentro de { $seconds } segundos.
admin-login-busy = Se está comprobando un inicio de sesión desde este dispositivo: inténtalo de nuevo.
admin-login-recovery = ¿Sin acceso como administración? Escribe el código de recuperación de un solo uso como contraseña: está en whereflow-problems.txt, en la partición de arranque de la tarjeta SD, y en el registro de la consola del aparato.
admin-logged-out = Sesión cerrada.
presenter-qr-wifi = Código QR para unirse a la red WiFi { $ssid }
presenter-qr-open = Código QR para abrir { $url }

## Boot problems file (whereflow-problems.txt, system/problems.rs and the problems setup finds)
problems-title = whereflow no puede usar su archivo de ajustes ({ $file }).
problems-heading = Problemas:
problems-fallback = Hasta que se corrijan, el aparato ofrece una red WiFi de configuración:
problems-ssid = nombre de red (SSID):
problems-passphrase = contraseña:
problems-fix =
    Conectado a ella, { $status } también muestra estos problemas. Para
    corregirlos, pon la tarjeta SD en cualquier ordenador, abre { $file } en su
    partición de arranque con un editor de texto, corrige las líneas indicadas arriba
    y vuelve a encender el aparato.
problem-missing = falta: ponlo en la partición de arranque de la tarjeta SD como { $path } (el ejemplo de la imagen muestra todos los ajustes)
problem-unreadable = no se puede leer: { $why }
problem-ssid-unset = sin definir: el nombre de la red WiFi a la que se conecta la gente (de 1 a 32 bytes)
problem-security-open = «open» no se ofrece: cualquiera cerca podría conectarse y ver el tráfico de todos; usa «auto», «wpa2», «wpa3» o «wpa2-wpa3»
problem-passphrase-unset = sin definir: elige de 8 a 63 caracteres (letras, cifras, espacios, signos) que la gente escribe para conectarse
problem-country-unset = sin definir: el código de dos letras del país donde está el aparato (p. ej. DE, FR, GB, US); decide qué canales puede usar la radio
problem-wpa3-unsupported = «wpa3» necesita un chip WiFi que haga SAE y tramas de gestión protegidas como punto de acceso, y este no puede: usa «auto» (WPA2/WPA3 donde el chip pueda) o «wpa2»
problem-radio-missing = no hay ninguna radio WiFi { $name } (encontradas: { $found }): conecta el adaptador o usa «auto»
problem-radio-missing-none = no hay ninguna radio WiFi { $name }, ni ninguna otra: conecta el adaptador o usa «auto»
problem-radio-no-ap = { radio-name } no puede ser punto de acceso (su controlador no ofrece modo AP): usa otro adaptador (mira la lista del README) o «auto»
problem-radio-none = no se encontró ninguna radio WiFi: ¿está conectado el adaptador, y están su controlador y su firmware en la imagen?
problem-radio-only-uplink = la única radio WiFi ({ $radios }) es el enlace WiFi de subida: el punto de acceso necesita una segunda radio (un adaptador WiFi USB, mira el README), o usa un enlace Ethernet o USB
problem-radio-none-ap = ninguna radio WiFi de aquí puede ser punto de acceso ({ $radios }): conecta un adaptador que pueda (mira la lista del README)
problem-with-defaults = { $why } (con los ajustes propios del aparato añadidos)

## Reasons from deeper down inside the refusal pages (web/reasons.rs)
reason-cross-site = la petición vino de otro sitio
reason-form-cookie-missing = falta la cookie de seguridad del formulario
reason-form-token-mismatch = el código de seguridad del formulario no coincide
reason-admin-token = falta el código de seguridad o es incorrecto: vuelve a cargar la página de administración e inténtalo de nuevo
reason-login-required = hace falta iniciar sesión como administrador: entra en /admin
reason-admin-off = las páginas de administración están desactivadas: pon admin.password en el archivo de ajustes y reinicia el aparato
login-required-title = Hace falta iniciar sesión como administrador
login-go-admin = Ir a la página de administración
not-found-title = Aquí no hay nada
not-found-text = Esta dirección no existe en este aparato. Revisa cómo está escrita o vuelve a empezar desde la página de inicio.
not-found-home = Ir a la página de inicio
not-found-api = esta dirección no existe en esta API
reason-nickname-empty = el apodo está vacío
reason-nickname-too-long = el apodo tiene más de { $max } caracteres
reason-nickname-control = el apodo contiene caracteres de control o marcas de dirección del texto
reason-nickname-invisible = el apodo contiene un carácter invisible
reason-nickname-marks = el apodo acumula demasiados acentos sobre una letra
reason-nickname-not-text = el apodo no es texto válido (UTF-8)
reason-nickname-rude = elige un apodo más amable, por favor
reason-nickname-locked = tu profesor ha bloqueado el apodo de este dispositivo durante esta sesión
reason-no-history = el historial no se guarda en este aparato (mira /api/v1/status)
reason-busy = el aparato está ocupado; vuelve a intentarlo en un momento

## Admin

adm-logged-in-until = Sesión iniciada hasta { $time }.
adm-logout = Cerrar sesión
adm-warnings = Avisos
adm-wifi = Wifi
adm-wifi-radio = Radio que da servicio al aula
adm-wifi-ap = Punto de acceso
adm-wifi-associated = Dispositivos asociados
adm-wifi-capacity = Admite
adm-wifi-uplink = Enlace de subida
adm-wifi-portal = Comprobación de internet
adm-wifi-joined = Cómo se conectó cada dispositivo
adm-wifi-joined-what = WPA3 mantiene privado el tráfico de un dispositivo incluso ante quien conoce la contraseña. Con WPA2, cualquiera que conozca la contraseña y haya visto conectarse un dispositivo puede leer su tráfico.
adm-col-device = Dispositivo
adm-col-wifi-security = Conectado con
adm-wifi-wpa3 = WPA3
adm-wifi-wpa2 = WPA2
adm-wifi-open = abierta (sin cifrado)
adm-wifi-unknown = desconocido
adm-login-wpa2 = Cuidado: este dispositivo se conectó a la wifi con WPA2. Con WPA2, cualquiera que conozca la contraseña de la wifi y haya visto conectarse este dispositivo puede leer lo que envía, incluida la contraseña de administración escrita aquí. Inicia sesión desde un dispositivo con WPA3, por HTTPS o por cable.
adm-controls = Controles
adm-controls-off = Los controles están desactivados en este equipo (<code>[control] enabled = false</code> en el archivo de configuración).
adm-nft-error = El bloqueo por dirección no funciona ahora: { $error }
adm-dns-title = Bloquear rastreadores y anuncios
adm-dns-what = Mientras esté activado, el equipo responde a cada consulta de un nombre de anuncios o rastreo (los que las vistas marcan en rojo) con una dirección que no lleva a ninguna parte, así que esas conexiones dejan de aparecer. Un dispositivo conserva unos minutos los nombres ya consultados, y las conexiones ya abiertas siguen abiertas hasta que terminan.
adm-dns-on-all = Activado para todos.
adm-dns-off-all = Desactivado para todos.
adm-dns-turn-off-all = Desactivar para todos
adm-dns-turn-on-all = Activar para todos
adm-dns-on-for = Activado para estos dispositivos:
adm-turn-off = Desactivar
adm-dns-one-device = Solo un dispositivo (su dirección)
adm-dns-device-example = p. ej. 10.42.0.23
adm-dns-turn-on-device = Activar para este dispositivo
adm-dns-blocked-count = Consultas respondidas como bloqueadas desde que arrancó el equipo: { $count }.
adm-block-title = Bloquear un país, una organización o una dirección
adm-block-what = Las conexiones a un destino bloqueado se rechazan. Un país o una organización se bloquea por las direcciones vistas para él: las que hay ahora en las vistas y cada nueva en cuanto un dispositivo se conecta a ella (esa primera conexión se corta un momento después de empezar).
adm-col-kind = Tipo
adm-col-blocked = Bloqueado
adm-col-addresses-blocked = Direcciones bloqueadas
adm-kind-country = País
adm-kind-org = Organización
adm-kind-ip = Dirección
adm-remove = Quitar
adm-block = Bloquear
adm-block-country = un país (código de dos letras, p. ej. NL)
adm-block-org = una organización (como la nombran las vistas, p. ej. Meta)
adm-block-ip = una dirección
adm-block-value = Código de país, organización o dirección
adm-open-title = Conexiones abiertas
adm-open-none = No hay conexiones abiertas ahora.
adm-open-what = Terminar una conexión la corta al instante; el dispositivo puede abrir otra.
adm-open-ended = Terminadas hasta ahora: { $count }.
adm-col-to = Destino
adm-col-org = Organización
adm-tracker = rastreador
adm-end = Terminar
adm-protocol = protocolo { $number }
adm-projector = Proyector
adm-projector-what = Lo que muestran las vistas de grupo (diagrama de flujos, mapa, presentación, lista de dispositivos). Los dispositivos y sitios ocultos siguen contando en los totales, como «Dispositivos ocultos» y «Sitio oculto». La página propia de un dispositivo le muestra siempre todo. Cada regla dura esta sesión; se puede deshacer en cualquier momento.
adm-names-are-off = Los nombres están <strong>desactivados</strong>: el proyector solo muestra seudónimos.
adm-names-on = Activar nombres
adm-names-are-on = Los nombres están activados: los apodos salen en el proyector.
adm-names-off = Desactivar nombres (solo seudónimos)
adm-col-on-projector = En el proyector
adm-hide = Ocultar
adm-clear-nickname = Borrar apodo
adm-lock-nickname = Bloquear apodo
adm-hide-domain = un sitio web (dominio, p. ej. example.com)
adm-hide-nickname = un apodo (en cualquier dispositivo)
adm-hide-device = un dispositivo (su dirección)
adm-hide-value = Dominio, apodo o dirección
adm-rules = Reglas vigentes
adm-undo = Deshacer
adm-rule-device = dispositivo { $name }
adm-rule-device-gone = un dispositivo no conectado ahora
adm-rule-nickname = apodo «{ $name }»
adm-rule-website = sitio web { $name }
adm-rule-all = todos los nombres (nombres desactivados)
adm-rule-hidden = Oculto: { $what }
adm-rule-cleared = Apodo borrado: { $what }
adm-rule-locked = Apodo bloqueado: { $what }
adm-sessions = Sesiones
adm-no-history = Este equipo no guarda historial, así que no hay sesiones que listar ni exportar (mira los avisos en <a href="/api/v1/status">la página de estado</a>).
adm-sessions-what = Una sesión es una clase o un taller: todo lo registrado entre su inicio y el de la siguiente. Las exportaciones son archivos para hojas de cálculo (CSV, una tabla por archivo) o JSON completo. Las listas de dispositivos los nombran por dirección, nombre de host y apodo; nunca contienen direcciones MAC.
adm-col-session = Sesión
adm-col-started = Inicio
adm-col-ended = Fin
adm-col-export = Exportar y reproducir
adm-current = actual
adm-session-unnamed = Sesión del { $started }
adm-export-report = Informe por host (CSV)
adm-export-flows = Flujos (CSV)
adm-export-devices = Dispositivos (CSV)
adm-export-dns = Respuestas DNS (CSV)
adm-export-json = Todo (JSON)
adm-replay = Reproducir:
adm-replay-sankey = en el diagrama de Sankey
adm-replay-map = en el mapa
adm-delete = Borrar
adm-new-session = Empezar una sesión nueva
adm-new-session-what = Las vistas empiezan vacías; las conexiones aún abiertas siguen en la sesión nueva.
adm-session-name = Nombre
adm-session-name-example = p. ej. 1.º B, martes
adm-current-session = La sesión actual
adm-keep-it = conservarla (se podrá exportar después)
adm-delete-it = borrarla
adm-keep-nicknames = conservar los apodos de los dispositivos (si no, todos empiezan con un seudónimo nuevo y sin apodo)
adm-start-session = Empezar sesión nueva
adm-settings = Ajustes
adm-retention = Conservar el historial (días)
adm-max-db = Tamaño máximo de la base de datos (MB)
adm-db-now = ahora { $size }
adm-no-database = sin base de datos
adm-default-old = Cuando empieza una sesión nueva, por defecto
adm-keep-old = conservar la anterior
adm-delete-old = borrar la anterior
adm-save-settings = Guardar ajustes
adm-config-file = Los ajustes se guardan en { $file }.
adm-config-none = No hay archivo de configuración: los ajustes cambiados aquí duran hasta el próximo reinicio.
adm-backup = Copia de seguridad
adm-backup-what = Una copia de seguridad contiene los ajustes de arriba, los apodos de los dispositivos (con sus direcciones MAC: datos personales, guarda el archivo en lugar seguro), el bloqueo DNS y los bloqueos, las alertas ignoradas vigentes y las reglas del proyector. Solo contiene la contraseña de administración, el token de métricas o la contraseña de la wifi si los pides.
adm-backup-download = Descargar una copia
adm-backup-download-secrets = Descargar una copia con los secretos
adm-restore-what = Restaurar una copia (se comprueba entera primero; nada cambia si se rechaza alguna parte):
adm-restore-file = el archivo
adm-restore-paste = o su contenido, pegado
adm-restore = Restaurar
adm-done-started = Ha empezado una sesión nueva.
adm-done-deleted = Se ha borrado la sesión.
adm-done-settings = Ajustes guardados.
adm-done-settings-runtime = Ajustes cambiados hasta el próximo reinicio (no se pudo escribir el archivo de configuración).
adm-done-dns-block = Ha cambiado el bloqueo DNS de rastreadores y anuncios.
adm-done-blocked = Bloqueado.
adm-done-unblocked = Se ha quitado el bloqueo.
adm-done-killed = Se ha terminado la conexión.
adm-done-group-view = Han cambiado las reglas del proyector.
adm-done-group-view-undone = Deshecho.
adm-refused = Rechazado: { $why }.
adm-incomplete-form = El formulario estaba incompleto: no ha cambiado nada.
adm-failed = No ha funcionado: { $error }
adm-restored = Copia restaurada.
radio-name = { $bus ->
        [unknown] { $interface }
       *[other] { $interface } ({ $driver ->
            [none] sin controlador
           *[other] { $driver }
        }, { $bus ->
            [usb] USB
            [sdio] integrada (SDIO)
            [pci] PCI
           *[other] bus virtual o desconocido
        })
    }
adm-wifi-chip = { $radio }, chip { $chip }
adm-wifi-gone = { $radio }: desaparecido (desenchufado, o su controlador se detuvo)
adm-ap-running = en marcha (hostapd: ENABLED)
adm-ap-not-running = no está en marcha (hostapd: { $state })
adm-ap-silent = hostapd no responde
adm-assoc-auth = { $count } ({ $authorized } con el intercambio WPA completado; según hostapd)
adm-assoc = { $count } (según hostapd)
adm-assoc-unknown = desconocido (hostapd no responde)
adm-capacity = unos { $stations } ({ $basis })
adm-capacity-unknown = desconocido para este controlador
adm-room-full = Lleno: { $count } dispositivos, más o menos los que admite la radio ({ $stations }). Puede que el siguiente no consiga conectarse; la presentación dice «aula llena». Un adaptador wifi USB admite más (ver el README).
adm-room-nearly = Casi lleno: { $count } de unos { $stations } dispositivos ({ $percent } %).
adm-uplink-wifi = { $interface } se conecta a la red wifi «{ $ssid }»: { $state }
adm-uplink-joined = conectado (wpa_supplicant: COMPLETED)
adm-uplink-joining = aún no conectado (wpa_supplicant: { $state })
adm-uplink-silent = wpa_supplicant no responde
adm-uplink-cable = { $interface } (cable o USB)
adm-portal-unchecked = aún no comprobado (o uplink.probe_url está vacío)
adm-portal-open = internet responde
portal-answer = { $kind ->
        [redirect] una redirección ({ $code }) a { $to }
        [page] una página ({ $code }) en lugar de la respuesta vacía 204
       *[other] el estado { $code } en lugar de 204
    }
adm-portal-captive = la red del centro pide iniciar sesión (la comprobación recibió { portal-answer }): abre cualquier página web en un dispositivo conectado a esta wifi e inicia sesión allí
adm-portal-unreachable = sin respuesta ({ $why })

## Status warnings
status-history-off = El historial no se está guardando (data.dir { $dir }): { $error }
status-history-failing = El historial no se está guardando: no se puede escribir en la base de datos ({ $error }); se reintenta cada 2 s y el historial nuevo se pierde mientras la cola está llena (contadores «history»); el DNS y las vistas en directo siguen funcionando
status-export-unreachable = Colector IPFIX { $url } inalcanzable ({ $error }); los registros de flujos destinados a él se descartan hasta que responda
status-wifi-monitor-off = La vigilancia de la wifi no pudo arrancar: { $error }
status-wifi-radio-gone = La radio wifi { radio-name } ha desaparecido (desenchufada, o su controlador se detuvo): los dispositivos no pueden conectarse hasta que vuelva; enchúfala de nuevo y reinicia el aparato. Todo lo demás sigue funcionando
status-wifi-ap-stopped = El punto de acceso en { radio-name } no está funcionando (estado de hostapd: { $state }): puede que la radio rechace el país (wifi.country) o el canal; mira /run/hostapd.log
status-wifi-ap-silent = hostapd no responde para { $interface } ({ $error }): puede que el punto de acceso no esté funcionando; mira /run/hostapd.log
status-wifi-room-full = El aula está llena: { $associated } dispositivos en { radio-name }, que admite unos { $capacity }; puede que otro dispositivo no consiga entrar (un adaptador wifi USB admite más, mira el README)
status-wifi-room-nearly = El aula está casi llena: { $associated } dispositivos en { radio-name }, que admite unos { $capacity }
status-uplink-wrong-key = La red wifi del enlace de subida «{ $ssid }» rechazó la contraseña: revisa uplink.wifi_passphrase en el archivo de ajustes (el punto de acceso sigue funcionando)
status-uplink-not-found = La red wifi del enlace de subida «{ $ssid }» no está al alcance (no responde ningún punto de acceso con ese nombre): revisa uplink.wifi_ssid o acerca el aparato
status-uplink-conn-failed = La red wifi del enlace de subida «{ $ssid }» no dejó entrar al aparato (su punto de acceso dejó de responder; con WPA3 una uplink.wifi_passphrase equivocada también puede verse así); se vuelve a intentar
status-uplink-disabled = El aparato no pudo unirse a la red wifi del enlace de subida «{ $ssid }» ({ $reason }); se vuelve a intentar
status-uplink-disconnected = El aparato no está conectado a la red wifi del enlace de subida «{ $ssid }»; se vuelve a intentar
status-uplink-portal = La red del centro pide iniciar sesión: el enlace de subida { $uplink } llega a una página de inicio de sesión, no a internet (la comprobación recibió { portal-answer }); abre cualquier página web en un dispositivo conectado a esta wifi e inicia sesión allí, vale para todo el aparato
status-uplink-wpa-silent = wpa_supplicant no responde para el enlace de subida { $uplink } ({ $error }): el enlace de subida wifi no está funcionando
status-setup-problem = Archivo de ajustes (whereflow-settings.toml): { $problem }
status-setup-unreadable = No se puede leer el archivo de problemas de los ajustes { $file }: { $error }
status-setup-see-file = Los ajustes tienen problemas: mira { $file }
status-setup-network = La red wifi de configuración «{ $ssid }» funciona hasta que se corrija el archivo de ajustes
# Los avisos propios de las etapas (problemas al arrancar y en marcha). `error` es el texto
# del sistema o de otro programa: la página de administración lo muestra tal cual, marcado como inglés.
status-admin-off = Las páginas de administración están desactivadas: no se pudo cifrar la contraseña ({ $error })
status-admin-plain-kept = La contraseña de administración sigue escrita en claro en { $file } (admin.password): no se pudo sustituir por su hash ({ $error }). Cambia la línea por el password_hash de { $hash_file }, o haz que el archivo se pueda escribir
status-admin-hash-bad = Las páginas de administración están desactivadas: el hash de la contraseña guardado en { $file } no sirve ({ $error })
status-admin-hash-unsaved = No se pudo guardar el hash de la contraseña de administración en { $file } ({ $error })
status-conntrack-disabled = Las conexiones no se vigilan (conntrack está desactivado en la configuración): solo nombres (DNS), sin flujos
status-conntrack-not-started = Las conexiones no se vigilan, así que no se muestra ningún flujo: el lector de conexiones (conntrack) no arrancó ({ $error })
status-devices-not-started = Los dispositivos solo se conocen por su dirección: el lector de dispositivos no arrancó ({ $error })
status-detect-neighbours-unreadable = Los conflictos de direcciones en la red no se detectan: no se puede leer la tabla de vecinos ({ $error })
status-detect-arp-unreadable = Un dispositivo que se hace pasar por la puerta de enlace no se detecta: no se pueden leer los paquetes ARP (hace falta CAP_NET_RAW; { $error })
status-detect-lan-thread = La vigilancia de la red no pudo arrancar ({ $error }): los conflictos de direcciones no se detectan
status-detect-nflog-unreadable = Los escaneos FIN, Xmas y Null no se detectan: no se pueden leer los paquetes no válidos registrados (detect.nflog_group; { $error })
status-detect-nflog-thread = La vigilancia de paquetes no válidos no pudo arrancar ({ $error }): los escaneos FIN, Xmas y Null no se detectan
status-controls-saved-unreadable = No se pudieron leer los bloqueos guardados, así que ahora no se aplica ninguno ({ $error })
status-controls-table-left = Los controles están desactivados, pero no se pudo quitar la tabla del cortafuegos { $table } de una ejecución anterior: sus bloqueos siguen aplicándose ({ $error })
status-controls-not-enforced = Los { $count } bloqueos guardados no se aplican: el cortafuegos (nftables) los rechazó ({ $error })
status-controls-unsaved = No se pudieron guardar los bloqueos: un reinicio perdería los últimos cambios ({ $error })
status-dns-no-upstreams = No se pueden resolver nombres: no hay ningún servidor DNS configurado (dns.upstreams) ni ninguno útil en /etc/resolv.conf, así que falla todo nombre que no sea local
status-dns-cert-refused = El servidor DNS cifrado { $upstream } no se usa: su certificado fue rechazado ({ $error }). Debe presentar un certificado válido para { $name } de una autoridad de confianza; revisa el nombre tras la @ en dns.upstreams, o configura dns.tls_ca_file para una autoridad privada
status-conntrack-dump-slow = Leer la tabla de conexiones tardó más de 30 s; se vuelve a intentar
status-conntrack-dump-request = No se puede leer la tabla de conexiones ({ $error }); se reintentará más tarde
status-conntrack-dump-denied = No se puede leer la tabla de conexiones: whereflow necesita CAP_NET_ADMIN ({ $error })
status-conntrack-dump-failed = Falló la lectura de la tabla de conexiones ({ $error }); se reintentará más tarde
status-conntrack-full = Se siguen { $max } conexiones (conntrack.max_flows), el máximo permitido: las más nuevas no se muestran
status-conntrack-skipped = Un mensaje de conexión no se pudo usar y se omitió ({ $error }); los siguientes solo se cuentan
status-conntrack-small-buffer = El búfer de conexiones nuevas tiene { $got } bytes en vez de { $wanted } ({ $error }): una ráfaga de conexiones nuevas puede desbordarlo y obligar a releerlo todo; da CAP_NET_ADMIN a whereflow o sube net.core.rmem_max
sysctl-without = { $knob ->
        [nf_conntrack_acct] faltan los contadores de bytes y paquetes
        [nf_conntrack_timestamp] el inicio de una conexión es cuando whereflow la vio por primera vez, no cuando empezó
       *[other] las conexiones nuevas y terminadas solo se encuentran en la relectura periódica, y las cortas se pierden
    }
status-sysctl-unreadable = No se puede leer { $file } ({ $error }): ¿está cargado el seguimiento de conexiones (nf_conntrack)? Mientras { $knob } esté desactivado, { sysctl-without }
status-sysctl-was-off = { $key } valía { $value } y ahora vale 1; en las conexiones que empezaron antes, { sysctl-without }
status-sysctl-unset = { $knob } vale { $value } y no se pudo activar ({ $error }): { sysctl-without }; pon { $key }=1 (hace falta root)
status-sysctl-off = { $knob } vale { $value }: { sysctl-without }; pon { $key }=1
status-history-over-cap = El historial supera su tamaño máximo (history.max_db_mb = { $max_mb }) y solo queda la última hora de la sesión actual: sube el límite o empieza una sesión nueva
status-domains-unusable = Las listas de dominios incluidas no se pueden usar ({ $error }): las organizaciones solo se conocen por su red (AS)
status-geo-none = No hay base de datos geográfica (enrich.geo_dbs, o la incluida de scripts/fetch-default-data.sh): países y lugares son desconocidos
status-asn-none = No hay base de datos de redes (AS) (enrich.asn_dbs, o la incluida de scripts/fetch-default-data.sh): las redes son desconocidas
status-db-directory = La base de datos { $kind ->
        [as] de redes (AS)
       *[other] geográfica
    } { $file } no se usa: es una carpeta, no un archivo
status-db-unreadable = No se puede leer la base de datos { $kind ->
        [as] de redes (AS)
       *[other] geográfica
    } { $file } ({ $error })
status-db-invalid = La base de datos { $kind ->
        [as] de redes (AS)
       *[other] geográfica
    } { $file } no se usa: no es un archivo MaxMind DB válido ({ $error })
status-db-wrong-kind = La base de datos { $kind ->
        [as] de redes (AS)
       *[other] geográfica
    } { $file } no se usa: no contiene { $kind ->
        [as] números de red
       *[other] países ni lugares
    } (su tipo es { $type })
status-devices-neighbours-unreadable = Los dispositivos solo se conocen por las concesiones DHCP: no se puede leer la tabla de vecinos ({ $error })
status-devices-leases-unreadable = Los nombres de dispositivo de DHCP no se muestran: no se puede leer el archivo de concesiones { $file } (devices.dnsmasq_leases; { $error })
status-devices-leases-too-big = Se ignora el archivo de concesiones DHCP { $file }: tiene { $size } bytes, más de los { $max } que se leen
status-devices-no-interface = devices.interfaces nombra { $name }, pero esa interfaz de red no existe: los dispositivos en ella no se ven
status-devices-neighbours-failed = Falló la lectura de la tabla de vecinos ({ $error }): puede que falten dispositivos nuevos un rato
status-radio-no-ap = El adaptador wifi { radio-name } no puede ser punto de acceso (su controlador no tiene modo AP): no se usa
status-radio-usb-many = { $count } adaptadores wifi USB pueden ser punto de acceso ({ $radios }): el aparato usa { $radio }, el primero por nombre; elige otro con wifi.interface
status-fine-again = todo bien de nuevo
note-wifi = Wifi ({ $about })
note-radio = Radio wifi
note-recovery = Código de recuperación de administración (escríbelo como contraseña; sirve una vez)
note-https = Huella del certificado HTTPS (SHA-256)
## Quejas sobre formularios (lo enviado no se puede usar).
complaint-body = No se pudo leer el formulario: { $error }
complaint-export-format = El formato debe ser «csv» o «json», no { $value }
complaint-export-report-part = El informe es la parte «hosts»; omite «part»
complaint-export-part = La parte debe ser devices, flows, dns o hosts, no { $value }
complaint-not-a-number = { $key }: { $value } no es un número
complaint-settings = Estos ajustes no se pueden usar: { $error }
complaint-scope-all-device = Dispositivo: no con «todos»
complaint-scope-device-needed = Dispositivo: para un solo dispositivo hace falta su dirección
complaint-scope = Alcance: { $value } no es «all» ni «device»
complaint-not-a-device = { $value } no es la dirección de un dispositivo
complaint-block-kind = Tipo: { $value } no es «country», «org» ni «ip»
complaint-block-country = { $value } no es un código de país de dos letras (ISO 3166, p. ej. «NL»)
complaint-block-org-empty = El nombre de la organización está vacío
complaint-block-org-long = Como mucho { $max } caracteres
complaint-block-org-control = Sin caracteres de control, por favor
complaint-block-ip = { $value } no es una dirección IP
complaint-block-ip-never = { $value } no se puede bloquear
complaint-mark-empty = Una marca necesita un texto (p. ej. «Abrid ahora vuestra app favorita»)
complaint-mark-long = El texto de una marca tiene como mucho { $max } caracteres; este tiene { $count }
complaint-mark-control = El texto de una marca es una línea, sin caracteres de control
complaint-mark-body = La petición debe ser JSON con un «label» de como máximo { $max } caracteres: { $error }
complaint-query = No se pudieron leer los parámetros de la dirección: { $error }
complaint-replay-window = La ventana de la reproducción es de 1 a { $max } segundos; esta tiene { $value }
complaint-replay-at = El momento de la reproducción («at») debe ser una hora en milisegundos desde 1970
complaint-session-name-long = Nombre: como mucho { $max } caracteres
complaint-session-name-control = Nombre: sin caracteres de control, por favor
restore-done = Copia de seguridad restaurada: { $nicknames } apodos, bloqueo DNS para todos { $dns_all ->
        [on] activado
       *[off] desactivado
    }, bloqueo DNS para { $devices } dispositivos, { $blocks } bloqueos, { $ignores } avisos ignorados, { $rules } reglas del proyector.
restore-done-settings = Copia de seguridad restaurada: ajustes, { $nicknames } apodos, bloqueo DNS para todos { $dns_all ->
        [on] activado
       *[off] desactivado
    }, bloqueo DNS para { $devices } dispositivos, { $blocks } bloqueos, { $ignores } avisos ignorados, { $rules } reglas del proyector.
restore-already = { $count } ya estaban aquí.
restore-expired = { $count } avisos ignorados habían caducado y se dejaron fuera.
restore-not-applied = No aplicado: { $problems }.
restore-secrets-now = En vigor ahora: { $secrets }.
restore-secret-admin-password = contraseña de administración
restore-secret-metrics-token = token de métricas
restore-passphrase-at-restart = La contraseña de la wifi está guardada y se aplica en el próximo arranque (cambiarla ahora desconectaría a todos los dispositivos del aula).
restore-secrets-not-applied = Secretos no aplicados: { $problems }.
restore-choose-file = elige un archivo de copia de seguridad o pega su contenido
restore-upload-unreadable = no se pudo leer el archivo subido: { $error }
restore-not-text = el archivo elegido no es una copia de seguridad de whereflow (no es texto)
fail-no-history = el historial no se está guardando en este aparato (mira los avisos)
fail-busy-exports = ocupado: ya hay dos exportaciones en marcha; vuelve a intentarlo en un momento
fail-busy-shutdown = ocupado: las exportaciones se están cerrando; vuelve a intentarlo en un momento
fail-busy-deleting = ocupado: la base de datos todavía está borrando; vuelve a intentarlo en un momento
fail-no-such-session = no existe la sesión { $id }
fail-current-session = la sesión { $id } es la sesión actual: empieza una sesión nueva antes de borrarla
fail-writer = la escritura en la base de datos no funciona o está demasiado ocupada: { $error }
fail-too-many-marks = esta sesión ya tiene { $max } marcas, las que una sesión guarda como máximo
fail-keep-or-delete = elige si conservar o borrar la sesión anterior
fail-rule-duplicate = esta regla ya está en vigor (regla { $id })
fail-rules-full = como mucho { $max } reglas por sesión; deshaz algunas primero
fail-no-such-rule = no existe la regla { $id }
fail-controls-off = los controles están desactivados en este aparato (control.enabled = false)
fail-no-such-block = no existe el bloqueo { $id }
fail-no-such-flow = no existe la conexión { $id } (puede que se haya olvidado)
fail-flow-closed = la conexión { $id } ya ha terminado
fail-block-duplicate = { $value } ya está bloqueado (bloqueo { $id })
fail-blocks-full = las listas de bloqueo ya contienen { $count } direcciones (control.max_blocked_addresses)
fail-nft = el bloqueo necesita nftables, que ha fallado: { $error }
fail-kill-gone = la conexión ya no está en la tabla de conexiones del núcleo (ha terminado)
fail-kill-denied = no hay permiso para cambiar la tabla de conexiones (necesita CAP_NET_ADMIN): { $error }
fail-kill-refused = el núcleo se negó a borrar la conexión: { $error }
fail-kill-io = falló la comunicación con la tabla de conexiones del núcleo: { $error }
fail-internal = algo salió mal dentro del aparato: { $error }
fail-choose-on-off = elige activado o desactivado
