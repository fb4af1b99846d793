# whereflow : les pages du serveur (français). Les mêmes clés que en/pages.ftl.
# Les messages avec balises (<strong>, <a>) sont insérés en HTML.

## Nombres
number-decimal = ,
number-group = {"\u202F"}

## La mise en page
language-label = Langue
skip-to-content = Aller au contenu
nav-label = Vues
nav-home = Accueil
nav-flows = Flux
nav-map = Carte
nav-alerts = Alertes
nav-me = Mon appareil
nav-presenter = Projection
footer-local = Tout ce qui figure sur ces pages vient de ce boîtier ; rien n’est chargé depuis Internet.
footer-outlines = contours des cartes : Natural Earth
footer-sources = toutes les sources de données

## Titres des pages
title-home = Où vont tes données ?
title-sankey = Flux : de l’appareil au pays
title-map = Carte du monde
title-presenter = Projection
title-me = Mon appareil
title-alerts = Alertes
title-admin = Administration
title-takehome = Résumé à emporter

## Mots communs
how-to-read = Comment le lire
window-label = Période
window-1 = 1 min
window-5 = 5 min
window-15 = 15 min
window-session = Séance
window-mark = Depuis le repère
filter-device = Appareil
filter-all-devices = Tous les appareils
legend-label = Légende
waiting-for-data = En attente de données…
col-device = Appareil
col-service = Site ou service
col-company = Entreprise
col-country = Pays
col-data = Données
col-tracker = Traqueur
col-place = Lieu
col-devices = Appareils
col-mostly = Surtout
col-companies = Entreprises
col-trackers = Traqueurs

## Accueil
home-title = Où vont tes données ?
home-lede = Chaque téléphone, tablette et ordinateur portable de ce WiFi parle sans cesse à des ordinateurs du monde entier, même quand personne n’y touche. Ce boîtier est le WiFi auquel ils sont connectés : il voit donc <strong>à qui parle chaque appareil</strong> et <strong>combien</strong>, et il le montre ici, en direct.
home-card-flows = De chaque appareil aux sites et services qu’il utilise, aux entreprises derrière eux et aux pays où elles se trouvent.
home-card-map-title = Carte du monde
home-card-map = Des lignes d’ici vers chaque ville et chaque pays où sont allées les données.
home-card-me = Seulement ton appareil : ce qu’il a cherché, à qui il a parlé, combien de traqueurs.
home-card-presenter = Pour un vidéoprojecteur : comment se connecter, et les chiffres de tout le groupe en grand.
home-read-title = Comment lire le diagramme des flux
home-read-1 = Lis-le <strong>de gauche à droite</strong> : les appareils, puis les sites et services qu’ils ont utilisés, puis l’entreprise qui gère chacun, puis le pays où se trouve l’ordinateur qui a répondu.
home-read-2 = Chaque bande colorée représente des données qui suivent ce chemin. <strong>Plus la bande est large, plus il y a de données</strong> (ou, si tu passes à « Connexions », plus il y a de connexions distinctes).
home-read-3 = Les bandes à <span class="badge tracker">rayures orange</span> et les noms marqués <strong>⚠</strong> vont vers des traqueurs ou des publicitaires.
home-read-4 = Les petits éléments sont regroupés dans une case « Autres … » pour que l’image reste lisible. Le tableau sous le diagramme décrit les plus gros chemins en mots.
home-read-5 = Pointe, touche ou sélectionne une case au clavier pour ne suivre que ses chemins. Touche-la de nouveau (ou appuie sur Échap) pour tout revoir.
home-read-6 = Les boutons choisissent la période : les 1, 5 ou 15 dernières minutes, ou toute la séance.
home-map-title = Comment lire la carte
home-map = La maison, c’est ce WiFi. Chaque cercle est un lieu qui a reçu des données : plus le cercle est grand, plus il y a de données. Le nombre à l’intérieur indique <strong>combien d’appareils</strong> y ont envoyé des données. Sa couleur et le mot à côté disent quel genre de service en représentait la plus grande part. Un anneau qui pulse signifie que des données y partent <strong>en ce moment</strong>. Un anneau en pointillés signifie qu’une partie des données est allée à des traqueurs ; une ligne en pointillés, que la plupart y sont allées.
home-trackers-title = Qu’est-ce qu’un traqueur ?
home-trackers = Un traqueur est un service qui collecte ce que tu fais, souvent sans que tu le voies : quelles applis tu ouvres, quelles pages tu lis, où tu es, ce que tu touches. Les mêmes quelques entreprises sont intégrées dans des milliers d’applis et de sites, ce qui leur permet de suivre une personne de l’un à l’autre et de bâtir un profil pour vendre de la publicité. Les applis et les sites les intègrent pour la publicité et pour mesurer leur utilisation.
home-categories-title = Les types de services
home-counts-as-tracking = compte comme pistage
home-limits-title = Ce que ce boîtier peut voir et ne peut pas voir
home-limits-1 = Il voit les <strong>noms</strong> qu’un appareil cherche (comme <code>bbc.co.uk</code>) et les <strong>connexions</strong> qu’il ouvre : vers quel ordinateur, quand et combien de données.
home-limits-2 = Il ne voit <strong>pas</strong> le contenu : messages, mots de passe, images et pages sont chiffrés entre l’appareil et le service.
home-limits-3 = « aucun DNS vu » signifie qu’un appareil s’est connecté sans chercher le nom par ce boîtier : il se souvenait de l’adresse, l’appli a l’adresse intégrée, ou l’appareil utilise un DNS chiffré.
home-limits-4 = Les pays et les villes sont ceux où l’ordinateur qui répond est enregistré ou se trouve, d’après une base de données sur ce boîtier. Les grandes entreprises ont des ordinateurs dans beaucoup de pays ; la carte montre celui qui a répondu.
home-sources-title = Sources des données
home-sources-intro = Tout est recherché sur ce boîtier, à partir de ces sources :
home-sources-error = La liste des sources n’a pas pu être lue : { $error }
home-sources-countries = Noms des pays
home-sources-countries-from = du paquet i18n-iso-countries
home-sources-d3 = et topojson pour le dessin
home-sources-fluent = pour les traductions

## Flux (sankey)
sankey-title = Où vont les données
sankey-lede = De gauche à droite : chaque appareil, les sites et services qu’il a utilisés, les entreprises derrière eux et leurs pays. Les bandes plus larges transportent plus.
sankey-metric-label = La largeur des bandes montre
sankey-metric-bytes = Données
sankey-metric-connections = Connexions
sankey-legend-data = données
sankey-legend-tracker = traqueur ou publicité
sankey-legend-other = « Autres … » regroupe les petits
sankey-chart-label = Diagramme des flux : appareils, sites, entreprises, pays
sankey-empty = Rien à montrer pour cette période pour l’instant. Ouvre une appli ou un site sur un appareil connecté à ce WiFi : il apparaîtra ici en quelques secondes.
sankey-noscript = Le diagramme en direct a besoin de JavaScript. Sans lui, <a href="/me">Mon appareil</a> montre les connexions de ton propre appareil.
sankey-table-caption = Les plus gros chemins, en mots

## Carte du monde
map-title = Où dans le monde
map-lede = Des lignes de ce WiFi vers chaque lieu où ses appareils ont envoyé des données.
map-home-unset = L’emplacement de ce boîtier n’est pas défini : aucune ligne n’en part.
map-noscript = La carte en direct a besoin de JavaScript. Sans lui, <a href="/me">Mon appareil</a> liste les pays avec lesquels ton appareil a parlé.
map-legend-home = ce WiFi
map-legend-circle = taille du cercle : quantité de données · nombre : combien d’appareils
map-legend-pulse = anneau : actif en ce moment
map-legend-ring = anneau en pointillés : une partie vers des ⚠ traqueurs
map-legend-dash = ligne en pointillés : surtout des ⚠ traqueurs
map-colours-label = Couleurs
map-table-caption = Les lieux, en mots
map-credits = Contours des pays : Natural Earth (domaine public).

## Projection
presenter-join = 1. Rejoins le WiFi
presenter-network = Réseau
presenter-password = Mot de passe
presenter-no-wifi = Scanne le code ci-dessous après avoir rejoint le WiFi de ce boîtier. (Son code QR WiFi apparaît ici dès que <code>wifi.ssid</code> est défini dans la configuration.)
presenter-open = Ouvre
presenter-open-why = pour voir où vont les données de ton appareil
presenter-https = Administration en HTTPS :
presenter-certificate = certificat SHA-256
presenter-totals = Tout le groupe, pendant cette séance
presenter-companies = entreprises
presenter-countries = pays
presenter-tracker-share = des données vers des ⚠ traqueurs et pubs
presenter-top-orgs = Principales entreprises
presenter-per-device = Traqueurs par appareil

## Les types de services
category-advertising = Publicité
category-advertising-explain = Des entreprises qui choisissent et affichent des publicités. Pour choisir une pub pour toi, elles collectent ce que tu regardes, souvent à travers de nombreuses applis et de nombreux sites.
category-analytics = Pistage et statistiques
category-analytics-explain = Des services qui mesurent ce que tu fais dans une appli ou sur un site : quelles pages tu ouvres, combien de temps tu restes, ce que tu touches. Beaucoup te suivent d’un site à l’autre.
category-social = Réseaux sociaux
category-social-explain = Réseaux sociaux et messageries : publications, photos, discussions, et les boutons et connexions qu’ils placent dans d’autres applis.
category-video = Vidéo et divertissement
category-video-explain = Vidéo, musique, jeux et actualités : ce que tu regardes, joues, écoutes ou lis.
category-cdn = Réseau de diffusion
category-cdn-explain = Réseaux de diffusion et hébergement : de grands centres informatiques qui stockent et distribuent images, vidéos et code pour beaucoup d’entreprises différentes, près de chez toi pour que cela charge vite.
category-platform = Services de plateforme
category-platform-explain = Les services quotidiens du téléphone ou de l’ordinateur et des grandes plateformes : recherche, comptes, e-mail, cartes, boutiques d’applis, mises à jour, stockage en ligne et paiements.
category-other = Autre
category-other-explain = Une entreprise connue dont le service n’entre dans aucun des autres groupes, par exemple une aide par chat ou une bannière de cookies.

## Les types d’alertes
alert-kind-dns_tunnel = Données cachées dans le DNS
alert-kind-dns_tunnel-explain = Un appareil a cherché beaucoup de noms longs, d’apparence aléatoire ou toujours nouveaux sous un même domaine. Des données peuvent sortir en cachette dans des recherches DNS de ce genre.
alert-kind-scan = Balayage
alert-kind-scan-explain = Un appareil (ou une machine extérieure) a essayé beaucoup de ports ou de machines en peu de temps, comme quelqu’un qui cherche un moyen d’entrer.
alert-kind-spoofing = Usurpation d’adresse
alert-kind-spoofing-explain = Un appareil a revendiqué une adresse qui appartient à un autre appareil ou à ce boîtier : il essaie peut-être de lire le trafic des autres.
alert-kind-upload = Gros envoi
alert-kind-upload-explain = Un appareil a envoyé beaucoup plus de données que d’habitude : des fichiers, des photos ou des enregistrements le quittent peut-être.
alert-kind-deny_list = Destination interdite
alert-kind-deny_list-explain = Une connexion est allée vers un pays, une entreprise ou un nom de la liste noire de ce boîtier (ou absent de sa liste autorisée).
alert-kind-encrypted_dns = DNS chiffré
alert-kind-encrypted_dns-explain = Un appareil a cherché des noms en contournant ce boîtier (DNS chiffré) : les noms qu’il visite ne peuvent donc pas être montrés ici.

## Table columns (more)
col-kind = Type
col-where = Où
col-sent = Envoyé
col-received = Reçu
col-connections = Connexions
col-minute = Minute
col-new-connections = Nouvelles connexions
col-lookups = Noms cherchés

## My device (/me)
me-only-this = Cette page montre l’appareil qui l’a ouverte, et seulement celui-là.
me-address = adresse
me-you-are = Tu es
me-for-session = pour cette séance. Sur le grand écran :
me-made-by = Fabriqué par { $vendor }.
me-private-mac = Il utilise une adresse WiFi privée (aléatoire) : son fabricant n’est donc pas connu.
me-hostname = Il se nomme lui-même « { $name } ».
me-unknown = Rien de cet appareil pour l’instant. Ouvre une appli ou un site dessus et reviens : il apparaît ici en quelques secondes. (Cette page montre l’appareil sur lequel elle est ouverte ; sur un autre WiFi, elle n’a rien à montrer.)
me-nickname-locked = Ton enseignant a verrouillé le surnom de cet appareil : il ne peut pas être changé pendant cette séance.
me-nickname-label = Surnom (ce que tout le monde voit sur le grand écran)
me-nickname-placeholder = p. ex. le téléphone d’Ana
me-save = Enregistrer
me-privacy-on = Le mode confidentialité est activé : les autres ne voient ton appareil que dans « Autres appareils », jamais par son nom.
me-privacy-off = Tout le monde sur ce WiFi peut voir les connexions de cet appareil dans le diagramme des flux et sur la carte, sous ce nom (jamais le nom ni l’adresse de l’appareil). Ton surnom le remplace ; une nouvelle séance commence sans lui.
me-takehome = <a href="/me/takehome">Résumé à emporter</a> : une page à imprimer ou à enregistrer en PDF, avec tes données à télécharger (CSV, JSON).
me-fig-sent = envoyés
me-fig-received = reçus
me-fig-trackers = ⚠ traqueurs
me-fig-companies = entreprises
me-fig-countries = pays
me-alerts-title = Alertes sur cet appareil
me-alerts-none = Rien d’inhabituel vu de cet appareil.
me-alerts-what = Ce que cherchent les détecteurs : <a href="/alerts#kinds-h">la page des alertes</a>.
me-detectors-off = Les détecteurs sont désactivés sur ce boîtier.
me-orgs-title = Entreprises avec qui il a parlé
me-countries-title = Pays
me-timeline-title = Ce qu’il a cherché, du plus récent au plus ancien
me-timeline-note = Chaque nom que l’appareil a demandé à ce WiFi.
me-forget-title = Oublier cet appareil
me-forget-confirm = Oui, effacer de ce boîtier les connexions, les recherches et le surnom de cet appareil
me-forget-button = Oublier mon appareil
me-refused-title = Non enregistré
me-back = Retour à ton appareil
me-not-changed = Non modifié : { $why }.
me-nickname-refused = Ce surnom ne peut pas être utilisé : { $why }.
me-forget-unticked = Coche la case pour confirmer que les données de cet appareil doivent être effacées.
me-forget-failed = Tout n’a pas encore pu être effacé : { $why }. Réessaie, s’il te plaît.
me-form-refused = Ce formulaire n’a pas pu être vérifié : { $why }. Recharge la page et réessaie.

## Take-home summary (/me/takehome)
th-back = ← Retour à ton appareil
th-download = Télécharger tes données :
th-csv = CSV (tableur)
th-print = Pour garder cette page sur papier ou en PDF, utilise « Imprimer » dans ton navigateur.
th-title = Où sont allées mes données
th-in-session = pendant cette séance
th-made = créé le { $when }
th-fig-tracker-companies = entreprises de pistage
th-companies-title = Entreprises avec qui mon appareil a parlé
th-no-connections = Aucune connexion n’a été vue de cet appareil.
th-unknown-kind = Type inconnu
th-tracker = (traqueur)
th-countries-title = Pays où sont allées mes données
th-no-country = Aucun pays n’est connu pour les connexions de cet appareil.
th-trackers-title = Les traqueurs, et ce qu’ils font
th-no-trackers = Aucune entreprise de publicité ou de pistage n’a été vue de cet appareil.
th-minutes-title = Mes minutes les plus chargées
th-no-traffic = Aucun trafic n’a été vu de cet appareil.
th-spread = Les données d’une longue connexion sont réparties également sur les minutes pendant lesquelles elle était ouverte.
th-marks-title = Les repères du cours
th-marks-note = Ce que la classe devait faire, et quand.
th-note = Ce résumé a été créé par le boîtier whereflow de la salle, à partir de ce qu’il a vu de cet appareil pendant la séance ; rien n’a été envoyé nulle part pour le créer.
th-in-downloads = { $lookups ->
    [one] { $lookups } nom cherché
   *[other] { $lookups } noms cherchés
} et { $flows ->
    [one] { $flows } connexion sont
   *[other] { $flows } connexions sont
} dans les téléchargements.
th-listed-kind = Publicité ou pistage
th-listed-explain = Listé comme serveur de publicité ou de pistage par les listes de blocage publiques (EasyList, EasyPrivacy) : il collecte ce que tu fais, souvent à travers beaucoup d’applis et de sites.
th-not-yours-title = Pas ton appareil
th-not-yours = Ceci est le résumé d’un autre appareil. Seul cet appareil lui-même, ou l’enseignant connecté à la page d’administration, peut l’ouvrir.
th-bad-device-title = Pas une adresse
th-bad-device = La valeur device= n’est pas une adresse.

## Alerts (/alerts)
alerts-lede = Ce que les détecteurs de ce boîtier ont remarqué dans le trafic : données cachées dans le DNS, balayages, usurpation d’adresse, gros envois, destinations listées et DNS chiffré. Les plus récentes d’abord.
alerts-lede-privacy = Le mode confidentialité est activé : tu ne vois que les alertes de ton propre appareil.
alerts-kind = Type
alerts-all-kinds = Tous les types
alerts-device = Appareil
alerts-all-devices = Tous les appareils
alerts-show = Afficher
alerts-admin-can = Un administrateur peut ignorer une alerte pendant une heure après s’être connecté sur la <a href="/admin">page d’administration</a>.
alerts-off = Les détecteurs sont désactivés sur ce boîtier (<code>detect.enabled = false</code> dans sa configuration) : il n’y a donc pas d’alertes.
alerts-kinds-title = Ce que veulent dire les types
alerts-privacy-notice = Le mode confidentialité est activé : cette page ne montre que les alertes de ton propre appareil.
alerts-ignored-notice = Ignorée pendant 1 heure : les alertes de ce type pour cet appareil (et ce domaine) ne reviennent pas avant.
alerts-no-such-kind = Il n’existe pas de type d’alerte appelé « { $kind } » : tous les types sont affichés.
alerts-no-such-device = « { $device } » n’est pas une adresse d’appareil : tous les appareils sont affichés.
alerts-not-ignored = Non ignorée
alerts-back = Retour aux alertes
alerts-detectors-off = Les détecteurs sont désactivés (detect.enabled = false).

## Marks and the session's timeline (presenter, flows, map)
marks-title = Repères
unit-new-connections = nouvelles connexions
unit-lookups = noms cherchés

## Admin page, before logging in
admin-off-title = Les pages d’administration sont désactivées
admin-off-1 = Aucun mot de passe d’administration n’est défini. Pour les activer, ouvre le fichier de configuration (<code>whereflow-settings.toml</code> sur la partition de démarrage de la carte SD ; n’importe quel ordinateur portable peut le modifier) et ajoute :
admin-off-example = un mot de passe d’au moins 8 caractères
admin-off-2 = Redémarre ensuite le boîtier. À son premier démarrage, whereflow remplace le mot de passe du fichier par une empreinte (<code>password_hash = "$argon2id$..."</code>) : le fichier ne le montre plus.
admin-login-title = Connexion
admin-login-what = Ici, la personne qui anime la séance démarre de nouvelles séances, bloque traqueurs, publicités et destinations, coupe des connexions, exporte ce qui a été enregistré et règle combien de temps c’est gardé.
admin-plain-http = <strong>Cette page est arrivée en HTTP simple.</strong> Sur un WiFi WPA2, toute personne qui connaît la phrase de passe peut lire ce que les autres envoient si elle les a vus se connecter : le mot de passe d’administration tapé ici pourrait donc être lu aussi.
admin-https-there = Connecte-toi plutôt sur <a href="{ $url }">{ $url }</a> (le navigateur avertit une fois à propos du certificat : il est bon si son empreinte SHA-256 est <code>{ $fingerprint }</code>, aussi affichée sur la vue de présentation).
admin-https-none = Définis <code>web.https_listen</code> pour te connecter en HTTPS, ou connecte-toi par câble ou depuis le boîtier lui-même.
admin-password = Mot de passe d’administration
admin-login-button = Se connecter
admin-login-empty = Saisis le mot de passe d’administration.
admin-login-wrong = Mot de passe incorrect.
admin-login-too-many-device = Trop de mots de passe incorrects depuis cet appareil : réessaie dans { $seconds } secondes.
admin-login-too-many-all = Trop de mots de passe incorrects sur ce boîtier : réessaie dans { $seconds } secondes.
admin-login-busy = Une connexion depuis cet appareil est en cours de vérification : réessaie.
admin-login-recovery = Bloqué en tant qu’administrateur ? Tape le code de récupération à usage unique comme mot de passe : il se trouve dans whereflow-problems.txt sur la partition de démarrage de la carte SD et dans le journal de la console du boîtier.
admin-logged-out = Déconnecté.
presenter-qr-wifi = QR code pour rejoindre le réseau WiFi { $ssid }
presenter-qr-open = QR code pour ouvrir { $url }

## Boot problems file (whereflow-problems.txt, system/problems.rs and the problems setup finds)
problems-title = whereflow ne peut pas utiliser son fichier de réglages ({ $file }).
problems-heading = Problèmes :
problems-fallback = Tant qu’ils ne sont pas corrigés, le boîtier diffuse un réseau WiFi de configuration :
problems-ssid = nom du réseau (SSID) :
problems-passphrase = mot de passe :
problems-fix =
    Une fois connecté, { $status } liste aussi ces problèmes. Pour les
    corriger, mets la carte SD dans n’importe quel ordinateur, ouvre { $file } sur sa
    partition de démarrage dans un éditeur de texte, corrige les lignes nommées
    ci-dessus et redémarre le boîtier.
problem-missing = est absent : place-le sur la partition de démarrage de la carte SD sous le nom { $path } (l’exemple fourni avec l’image liste chaque réglage)
problem-unreadable = illisible : { $why }
problem-ssid-unset = non défini : le nom du réseau WiFi que les gens rejoignent (1 à 32 octets)
problem-security-open = « open » n’est pas proposé : n’importe qui à proximité pourrait se connecter et observer le trafic de tout le monde ; utilise « auto », « wpa2 », « wpa3 » ou « wpa2-wpa3 »
problem-passphrase-unset = non défini : choisis 8 à 63 caractères (lettres, chiffres, espaces, ponctuation) que les gens tapent pour se connecter
problem-country-unset = non défini : le code à deux lettres du pays où se trouve le boîtier (par ex. DE, FR, GB, US) ; il décide des canaux que la radio peut utiliser
problem-wpa3-unsupported = « wpa3 » demande une puce WiFi capable de SAE et des trames de gestion protégées en point d’accès, et celle-ci ne l’est pas : utilise « auto » (WPA2/WPA3 là où la puce le peut) ou « wpa2 »
problem-radio-missing = il n’y a pas de radio WiFi { $name } (trouvées : { $found }) : branche l’adaptateur, ou utilise « auto »
problem-radio-missing-none = il n’y a pas de radio WiFi { $name }, ni aucune autre : branche l’adaptateur, ou utilise « auto »
problem-radio-no-ap = { radio-name } ne peut pas être un point d’accès (son pilote n’offre pas de mode AP) : utilise un autre adaptateur (voir la liste du README) ou « auto »
problem-radio-none = aucune radio WiFi trouvée : l’adaptateur est-il branché, et son pilote et son micrologiciel sont-ils dans l’image ?
problem-radio-only-uplink = la seule radio WiFi ({ $radios }) sert de liaison WiFi montante : le point d’accès a besoin d’une seconde radio (un adaptateur WiFi USB, voir le README), ou utilise une liaison Ethernet ou USB
problem-radio-none-ap = aucune radio WiFi ici ne peut être un point d’accès ({ $radios }) : branche un adaptateur qui le peut (voir la liste du README)
problem-with-defaults = { $why } (avec les réglages par défaut du boîtier ajoutés)

## Reasons from deeper down inside the refusal pages (web/reasons.rs)
reason-cross-site = la demande venait d’un autre site
reason-form-cookie-missing = le cookie de sécurité du formulaire manque
reason-form-token-mismatch = le jeton de sécurité du formulaire ne correspond pas
reason-admin-token = le jeton de sécurité manque ou est faux : rechargez la page d’administration et réessayez
reason-login-required = il faut être connecté comme administrateur : connectez-vous sur /admin
reason-admin-off = les pages d’administration sont désactivées : définissez admin.password dans le fichier de réglages et redémarrez le boîtier
login-required-title = Connexion administrateur requise
login-go-admin = Aller à la page d’administration
not-found-title = Rien ici
not-found-text = Cette adresse n’existe pas sur ce boîtier. Vérifie l’orthographe, ou repars de la page d’accueil.
not-found-home = Aller à la page d’accueil
not-found-api = cette adresse n’existe pas dans cette API
reason-nickname-empty = le surnom est vide
reason-nickname-too-long = le surnom dépasse { $max } caractères
reason-nickname-control = le surnom contient des caractères de contrôle ou des marques de sens d’écriture
reason-nickname-invisible = le surnom contient un caractère invisible
reason-nickname-marks = le surnom empile trop d’accents sur une lettre
reason-nickname-not-text = le surnom n’est pas du texte valide (UTF-8)
reason-nickname-rude = choisis un surnom plus aimable, s’il te plaît
reason-nickname-locked = ton enseignant a verrouillé le surnom de cet appareil pour cette séance
reason-no-history = l’historique n’est pas enregistré sur ce boîtier (voir /api/v1/status)
reason-busy = le boîtier est occupé ; réessaie dans un instant

## Admin

adm-logged-in-until = Connecté jusqu’à { $time }.
adm-logout = Se déconnecter
adm-warnings = Avertissements
adm-wifi = Wi-Fi
adm-wifi-radio = Radio qui dessert la salle
adm-wifi-ap = Point d’accès
adm-wifi-associated = Appareils associés
adm-wifi-capacity = Il accepte
adm-wifi-uplink = Liaison montante
adm-wifi-portal = Test d’accès à Internet
adm-wifi-joined = Comment chaque appareil s’est connecté
adm-wifi-joined-what = WPA3 protège le trafic d’un appareil même des autres personnes qui connaissent la phrase secrète. En WPA2, quiconque connaît la phrase secrète et a vu un appareil se connecter peut lire son trafic.
adm-col-device = Appareil
adm-col-wifi-security = Connecté avec
adm-wifi-wpa3 = WPA3
adm-wifi-wpa2 = WPA2
adm-wifi-open = ouvert (sans chiffrement)
adm-wifi-unknown = inconnu
adm-login-wpa2 = Attention : cet appareil est connecté au Wi-Fi en WPA2. En WPA2, quiconque connaît la phrase secrète du Wi-Fi et a vu cet appareil se connecter peut lire ce qu’il envoie, y compris le mot de passe admin saisi ici. Connectez-vous depuis un appareil en WPA3, en HTTPS ou par câble.
adm-controls = Contrôles
adm-controls-off = Les contrôles sont désactivés sur ce boîtier (<code>[control] enabled = false</code> dans le fichier de configuration).
adm-nft-error = Le blocage par adresse ne fonctionne pas pour l’instant : { $error }
adm-dns-title = Bloquer les traqueurs et les publicités
adm-dns-what = Tant que c’est activé, le boîtier répond à chaque résolution d’un nom publicitaire ou de pistage (ceux que les vues marquent en rouge) par une adresse qui ne mène nulle part : ces connexions cessent d’apparaître. Un appareil garde quelques minutes les noms déjà résolus, et les connexions déjà ouvertes restent ouvertes jusqu’à leur fin.
adm-dns-on-all = Activé pour tout le monde.
adm-dns-off-all = Désactivé pour tout le monde.
adm-dns-turn-off-all = Désactiver pour tout le monde
adm-dns-turn-on-all = Activer pour tout le monde
adm-dns-on-for = Activé pour ces appareils :
adm-turn-off = Désactiver
adm-dns-one-device = Un seul appareil (son adresse)
adm-dns-device-example = p. ex. 10.42.0.23
adm-dns-turn-on-device = Activer pour cet appareil
adm-dns-blocked-count = Résolutions bloquées depuis le démarrage du boîtier : { $count }.
adm-block-title = Bloquer un pays, une organisation ou une adresse
adm-block-what = Les connexions vers une destination bloquée sont refusées. Un pays ou une organisation est bloqué par les adresses vues pour lui : celles présentes dans les vues maintenant, et chaque nouvelle dès qu’un appareil s’y connecte (cette première connexion est coupée un instant après son début).
adm-col-kind = Type
adm-col-blocked = Bloqué
adm-col-addresses-blocked = Adresses bloquées
adm-kind-country = Pays
adm-kind-org = Organisation
adm-kind-ip = Adresse
adm-remove = Retirer
adm-block = Bloquer
adm-block-country = un pays (code à deux lettres, p. ex. NL)
adm-block-org = une organisation (telle que nommée dans les vues, p. ex. Meta)
adm-block-ip = une adresse
adm-block-value = Code pays, organisation ou adresse
adm-open-title = Connexions ouvertes
adm-open-none = Aucune connexion n’est ouverte pour l’instant.
adm-open-what = Mettre fin à une connexion la coupe aussitôt ; l’appareil peut en ouvrir une nouvelle.
adm-open-ended = Terminées jusqu’ici : { $count }.
adm-col-to = Vers
adm-col-org = Organisation
adm-tracker = traqueur
adm-end = Terminer
adm-protocol = protocole { $number }
adm-projector = Projecteur
adm-projector-what = Ce que montrent les vues de groupe (diagramme des flux, carte, présentation, liste des appareils). Les appareils et sites masqués comptent toujours dans les totaux, sous « Appareils masqués » et « Site masqué ». La page propre d’un appareil lui montre toujours tout. Chaque règle vaut pour cette session ; annulez-la quand vous voulez.
adm-names-are-off = Les noms sont <strong>masqués</strong> : le projecteur n’affiche que des pseudonymes.
adm-names-on = Afficher les noms
adm-names-are-on = Les noms sont affichés : les surnoms apparaissent au projecteur.
adm-names-off = Masquer les noms (pseudonymes seulement)
adm-col-on-projector = Au projecteur
adm-hide = Masquer
adm-clear-nickname = Effacer le surnom
adm-lock-nickname = Verrouiller le surnom
adm-hide-domain = un site (domaine, p. ex. example.com)
adm-hide-nickname = un surnom (sur n’importe quel appareil)
adm-hide-device = un appareil (son adresse)
adm-hide-value = Domaine, surnom ou adresse
adm-rules = Règles en vigueur
adm-undo = Annuler
adm-rule-device = appareil { $name }
adm-rule-device-gone = un appareil non connecté actuellement
adm-rule-nickname = surnom « { $name } »
adm-rule-website = site { $name }
adm-rule-all = tous les noms (noms masqués)
adm-rule-hidden = Masqué : { $what }
adm-rule-cleared = Surnom effacé : { $what }
adm-rule-locked = Surnom verrouillé : { $what }
adm-sessions = Sessions
adm-no-history = Ce boîtier n’enregistre pas d’historique : il n’y a donc pas de sessions à lister ni à exporter (voir les avertissements sur <a href="/api/v1/status">la page d’état</a>).
adm-sessions-what = Une session, c’est un cours ou un atelier : tout ce qui est enregistré entre son début et celui de la suivante. Les exports sont des fichiers pour tableur (CSV, un tableau par fichier) ou du JSON complet. Les listes d’appareils les nomment par adresse, nom d’hôte et surnom ; elles ne contiennent jamais d’adresses MAC.
adm-col-session = Session
adm-col-started = Début
adm-col-ended = Fin
adm-col-export = Export et relecture
adm-current = en cours
adm-session-unnamed = Session du { $started }
adm-export-report = Rapport par hôte (CSV)
adm-export-flows = Flux (CSV)
adm-export-devices = Appareils (CSV)
adm-export-dns = Réponses DNS (CSV)
adm-export-json = Tout (JSON)
adm-replay = Relecture :
adm-replay-sankey = sur le diagramme de Sankey
adm-replay-map = sur la carte
adm-delete = Supprimer
adm-new-session = Commencer une nouvelle session
adm-new-session-what = Les vues repartent à zéro ; les connexions encore ouvertes continuent dans la nouvelle session.
adm-session-name = Nom
adm-session-name-example = p. ex. 5e B, mardi
adm-current-session = La session en cours
adm-keep-it = la garder (elle pourra être exportée plus tard)
adm-delete-it = la supprimer
adm-keep-nicknames = garder les surnoms des appareils (sinon chacun repart avec un nouveau pseudonyme et sans surnom)
adm-start-session = Nouvelle session
adm-settings = Réglages
adm-retention = Garder l’historique (jours)
adm-max-db = Taille maximale de la base (Mo)
adm-db-now = actuellement { $size }
adm-no-database = pas de base de données
adm-default-old = Quand une nouvelle session commence, par défaut
adm-keep-old = garder l’ancienne
adm-delete-old = supprimer l’ancienne
adm-save-settings = Enregistrer les réglages
adm-config-file = Les réglages sont enregistrés dans { $file }.
adm-config-none = Il n’y a pas de fichier de configuration : les réglages modifiés ici durent jusqu’au prochain redémarrage.
adm-backup = Sauvegarde
adm-backup-what = Une sauvegarde contient les réglages ci-dessus, les surnoms des appareils (avec leurs adresses MAC : données personnelles, gardez le fichier en lieu sûr), le blocage DNS et les blocages, les alertes ignorées en vigueur et les règles du projecteur. Elle ne contient le mot de passe admin, le jeton des métriques ou la phrase secrète Wi-Fi que si vous les demandez.
adm-backup-download = Télécharger une sauvegarde
adm-backup-download-secrets = Télécharger une sauvegarde avec les secrets
adm-restore-what = Restaurer une sauvegarde (vérifiée en entier d’abord ; rien ne change si une partie est refusée) :
adm-restore-file = le fichier
adm-restore-paste = ou son contenu, collé
adm-restore = Restaurer
adm-done-started = Une nouvelle session a commencé.
adm-done-deleted = La session a été supprimée.
adm-done-settings = Réglages enregistrés.
adm-done-settings-runtime = Réglages modifiés jusqu’au prochain redémarrage (le fichier de configuration n’a pas pu être écrit).
adm-done-dns-block = Le blocage DNS des traqueurs et publicités a changé.
adm-done-blocked = Bloqué.
adm-done-unblocked = Le blocage est retiré.
adm-done-killed = La connexion a été coupée.
adm-done-group-view = Les règles du projecteur ont changé.
adm-done-group-view-undone = Annulé.
adm-refused = Refusé : { $why }.
adm-incomplete-form = Le formulaire était incomplet : rien n’a changé.
adm-failed = Cela n’a pas fonctionné : { $error }
adm-restored = Sauvegarde restaurée.
radio-name = { $bus ->
        [unknown] { $interface }
       *[other] { $interface } ({ $driver ->
            [none] aucun pilote
           *[other] { $driver }
        }, { $bus ->
            [usb] USB
            [sdio] intégrée (SDIO)
            [pci] PCI
           *[other] bus virtuel ou inconnu
        })
    }
adm-wifi-chip = { $radio }, puce { $chip }
adm-wifi-gone = { $radio } : disparu (débranché, ou son pilote s’est arrêté)
adm-ap-running = en marche (hostapd : ENABLED)
adm-ap-not-running = arrêté (hostapd : { $state })
adm-ap-silent = hostapd ne répond pas
adm-assoc-auth = { $count } ({ $authorized } avec l’échange WPA terminé ; selon hostapd)
adm-assoc = { $count } (selon hostapd)
adm-assoc-unknown = inconnu (hostapd ne répond pas)
adm-capacity = environ { $stations } ({ $basis })
adm-capacity-unknown = inconnu pour ce pilote
adm-room-full = Plein : { $count } appareils, à peu près autant que la radio en accepte ({ $stations }). L’appareil suivant risque de ne pas pouvoir se connecter ; la présentation affiche « salle pleine ». Un adaptateur Wi-Fi USB en accepte davantage (voir le README).
adm-room-nearly = Presque plein : { $count } appareils sur environ { $stations } ({ $percent } %).
adm-uplink-wifi = { $interface } rejoint le réseau Wi-Fi « { $ssid } » : { $state }
adm-uplink-joined = connecté (wpa_supplicant : COMPLETED)
adm-uplink-joining = pas encore connecté (wpa_supplicant : { $state })
adm-uplink-silent = wpa_supplicant ne répond pas
adm-uplink-cable = { $interface } (câble ou USB)
adm-portal-unchecked = pas encore testé (ou uplink.probe_url est vide)
adm-portal-open = Internet répond
portal-answer = { $kind ->
        [redirect] une redirection ({ $code }) vers { $to }
        [page] une page ({ $code }) au lieu de la réponse vide 204
       *[other] le statut { $code } au lieu de 204
    }
adm-portal-captive = le réseau de l’école demande une connexion (le test a reçu { portal-answer }) : ouvrez une page web sur un appareil connecté à ce Wi-Fi et connectez-vous
adm-portal-unreachable = pas de réponse ({ $why })

## Status warnings
status-history-off = L’historique n’est pas enregistré (data.dir { $dir }) : { $error }
status-history-failing = L’historique n’est pas enregistré : la base de données ne peut pas être écrite ({ $error }) ; nouvel essai toutes les 2 s, le nouvel historique est perdu tant que la file d’attente est pleine (compteurs « history ») ; le DNS et les vues en direct continuent de fonctionner
status-export-unreachable = Collecteur IPFIX { $url } injoignable ({ $error }) ; les enregistrements de flux qui lui sont destinés sont perdus jusqu’à ce qu’il réponde
status-wifi-monitor-off = La surveillance du Wi-Fi n’a pas pu démarrer : { $error }
status-wifi-radio-gone = La radio Wi-Fi { radio-name } a disparu (débranchée, ou son pilote s’est arrêté) : les appareils ne peuvent pas se connecter tant qu’elle n’est pas revenue ; rebranchez-la et redémarrez le boîtier. Tout le reste continue de fonctionner
status-wifi-ap-stopped = Le point d’accès sur { radio-name } ne fonctionne pas (état de hostapd : { $state }) : la radio refuse peut-être le pays (wifi.country) ou le canal ; voir /run/hostapd.log
status-wifi-ap-silent = hostapd ne répond pas pour { $interface } ({ $error }) : le point d’accès ne fonctionne peut-être pas ; voir /run/hostapd.log
status-wifi-room-full = La salle est pleine : { $associated } appareils sur { radio-name }, qui en accepte environ { $capacity } ; un appareil de plus risque de ne pas pouvoir se connecter (un adaptateur Wi-Fi USB en accepte davantage, voir le README)
status-wifi-room-nearly = La salle est presque pleine : { $associated } appareils sur { radio-name }, qui en accepte environ { $capacity }
status-uplink-wrong-key = Le réseau Wi-Fi de la liaison montante « { $ssid } » a refusé la phrase secrète : vérifiez uplink.wifi_passphrase dans le fichier de réglages (le point d’accès continue de fonctionner)
status-uplink-not-found = Le réseau Wi-Fi de la liaison montante « { $ssid } » est hors de portée (aucun point d’accès de ce nom ne répond) : vérifiez uplink.wifi_ssid, ou rapprochez le boîtier
status-uplink-conn-failed = Le réseau Wi-Fi de la liaison montante « { $ssid } » n’a pas laissé entrer le boîtier (son point d’accès a cessé de répondre ; avec WPA3, une uplink.wifi_passphrase erronée peut aussi donner cela) ; nouvel essai en cours
status-uplink-disabled = Le boîtier n’a pas pu rejoindre le réseau Wi-Fi de la liaison montante « { $ssid } » ({ $reason }) ; nouvel essai en cours
status-uplink-disconnected = Le boîtier n’est pas connecté au réseau Wi-Fi de la liaison montante « { $ssid } » ; nouvel essai en cours
status-uplink-portal = Le réseau de l’école demande une connexion : la liaison montante { $uplink } aboutit à une page de connexion, pas à Internet (le test a reçu { portal-answer }) ; ouvrez une page web sur un appareil connecté à ce Wi-Fi et connectez-vous, cela vaut pour tout le boîtier
status-uplink-wpa-silent = wpa_supplicant ne répond pas pour la liaison montante { $uplink } ({ $error }) : la liaison montante Wi-Fi ne fonctionne pas
status-setup-problem = Fichier de réglages (whereflow-settings.toml) : { $problem }
status-setup-unreadable = Le fichier des problèmes de réglages { $file } ne peut pas être lu : { $error }
status-setup-see-file = Les réglages ont des problèmes : voir { $file }
status-setup-network = Le réseau Wi-Fi de configuration « { $ssid } » fonctionne jusqu’à ce que le fichier de réglages soit corrigé
# Les avertissements propres aux étapes (problèmes au démarrage et en marche). `error` est le
# texte du système ou d’un autre programme : la page d’administration l’affiche tel quel, marqué comme anglais.
status-admin-off = Les pages d’administration sont désactivées : le mot de passe n’a pas pu être chiffré ({ $error })
status-admin-plain-kept = Le mot de passe d’administration est encore écrit en clair dans { $file } (admin.password) : il n’a pas pu être remplacé par son empreinte ({ $error }). Remplacez la ligne par le password_hash de { $hash_file }, ou rendez le fichier modifiable
status-admin-hash-bad = Les pages d’administration sont désactivées : l’empreinte du mot de passe enregistrée dans { $file } est inutilisable ({ $error })
status-admin-hash-unsaved = L’empreinte du mot de passe d’administration n’a pas pu être enregistrée dans { $file } ({ $error })
status-conntrack-disabled = Les connexions ne sont pas observées (conntrack est désactivé dans la configuration) : seulement les noms (DNS), pas de flux
status-conntrack-not-started = Les connexions ne sont pas observées, aucun flux n’est donc affiché : le lecteur de connexions (conntrack) n’a pas démarré ({ $error })
status-devices-not-started = Les appareils ne sont connus que par leur adresse : le lecteur d’appareils n’a pas démarré ({ $error })
status-detect-neighbours-unreadable = Les conflits d’adresses sur le réseau ne sont pas détectés : la table des voisins ne peut pas être lue ({ $error })
status-detect-arp-unreadable = Un appareil qui se fait passer pour la passerelle n’est pas détecté : les paquets ARP ne peuvent pas être lus (il faut CAP_NET_RAW ; { $error })
status-detect-lan-thread = La surveillance du réseau n’a pas pu démarrer ({ $error }) : les conflits d’adresses ne sont pas détectés
status-detect-nflog-unreadable = Les balayages FIN, Xmas et Null ne sont pas détectés : les paquets invalides journalisés ne peuvent pas être lus (detect.nflog_group ; { $error })
status-detect-nflog-thread = La surveillance des paquets invalides n’a pas pu démarrer ({ $error }) : les balayages FIN, Xmas et Null ne sont pas détectés
status-controls-saved-unreadable = Les blocages enregistrés n’ont pas pu être lus, aucun ne s’applique donc pour l’instant ({ $error })
status-controls-table-left = Les contrôles sont désactivés, mais la table de pare-feu { $table } d’une exécution précédente n’a pas pu être supprimée : ses blocages s’appliquent toujours ({ $error })
status-controls-not-enforced = Les { $count } blocages enregistrés ne s’appliquent pas : le pare-feu (nftables) les a refusés ({ $error })
status-controls-unsaved = Les blocages n’ont pas pu être enregistrés : un redémarrage perdrait les derniers changements ({ $error })
status-dns-no-upstreams = Les noms ne peuvent pas être résolus : aucun serveur DNS n’est réglé (dns.upstreams) et aucun n’est utilisable dans /etc/resolv.conf, donc tout nom non local échoue
status-dns-cert-refused = Le serveur DNS chiffré { $upstream } n’est pas utilisé : son certificat a été refusé ({ $error }). Il doit présenter un certificat valable pour { $name } émis par une autorité de confiance ; vérifiez le nom après @ dans dns.upstreams, ou réglez dns.tls_ca_file pour une autorité privée
status-conntrack-dump-slow = La lecture de la table des connexions a pris plus de 30 s ; nouvel essai en cours
status-conntrack-dump-request = La table des connexions ne peut pas être lue ({ $error }) ; nouvel essai plus tard
status-conntrack-dump-denied = La table des connexions ne peut pas être lue : whereflow a besoin de CAP_NET_ADMIN ({ $error })
status-conntrack-dump-failed = La lecture de la table des connexions a échoué ({ $error }) ; nouvel essai plus tard
status-conntrack-full = { $max } connexions sont suivies (conntrack.max_flows), le maximum permis : les plus récentes ne sont pas affichées
status-conntrack-skipped = Un message de connexion était inutilisable et a été ignoré ({ $error }) ; les suivants sont seulement comptés
status-conntrack-small-buffer = La mémoire tampon des nouvelles connexions contient { $got } octets au lieu de { $wanted } ({ $error }) : une rafale de nouvelles connexions peut la faire déborder et coûter une relecture complète ; donnez CAP_NET_ADMIN à whereflow ou augmentez net.core.rmem_max
sysctl-without = { $knob ->
        [nf_conntrack_acct] les compteurs d’octets et de paquets manquent
        [nf_conntrack_timestamp] le début d’une connexion est le moment où whereflow l’a vue pour la première fois, pas celui où elle a commencé
       *[other] les connexions nouvelles et terminées ne sont trouvées que par la relecture périodique, et les courtes sont manquées
    }
status-sysctl-unreadable = { $file } ne peut pas être lu ({ $error }) : le suivi des connexions (nf_conntrack) est-il chargé ? Tant que { $knob } est désactivé, { sysctl-without }
status-sysctl-was-off = { $key } valait { $value } et vaut maintenant 1 ; pour les connexions commencées avant, { sysctl-without }
status-sysctl-unset = { $knob } vaut { $value } et n’a pas pu être activé ({ $error }) : { sysctl-without } ; réglez { $key }=1 (il faut root)
status-sysctl-off = { $knob } vaut { $value } : { sysctl-without } ; réglez { $key }=1
status-history-over-cap = L’historique dépasse sa taille maximale (history.max_db_mb = { $max_mb }) alors qu’il ne reste que la dernière heure de la séance en cours : augmentez la limite ou commencez une nouvelle séance
status-domains-unusable = Les listes de domaines intégrées sont inutilisables ({ $error }) : les organisations ne sont connues que par leur réseau (AS)
status-geo-none = Aucune base de données géographique (enrich.geo_dbs, ou celle fournie par scripts/fetch-default-data.sh) : pays et lieux sont inconnus
status-asn-none = Aucune base de données des réseaux (AS) (enrich.asn_dbs, ou celle fournie par scripts/fetch-default-data.sh) : les réseaux sont inconnus
status-db-directory = La base de données { $kind ->
        [as] des réseaux (AS)
       *[other] géographique
    } { $file } n’est pas utilisée : c’est un dossier, pas un fichier
status-db-unreadable = La base de données { $kind ->
        [as] des réseaux (AS)
       *[other] géographique
    } { $file } ne peut pas être lue ({ $error })
status-db-invalid = La base de données { $kind ->
        [as] des réseaux (AS)
       *[other] géographique
    } { $file } n’est pas utilisée : ce n’est pas un fichier MaxMind DB valide ({ $error })
status-db-wrong-kind = La base de données { $kind ->
        [as] des réseaux (AS)
       *[other] géographique
    } { $file } n’est pas utilisée : elle ne contient { $kind ->
        [as] aucun numéro de réseau
       *[other] ni pays ni lieux
    } (son type est { $type })
status-devices-neighbours-unreadable = Les appareils ne sont connus que par les baux DHCP : la table des voisins ne peut pas être lue ({ $error })
status-devices-leases-unreadable = Les noms d’appareils venant du DHCP ne sont pas affichés : le fichier des baux { $file } ne peut pas être lu (devices.dnsmasq_leases ; { $error })
status-devices-leases-too-big = Le fichier des baux DHCP { $file } est ignoré : il fait { $size } octets, plus que les { $max } lus
status-devices-no-interface = devices.interfaces nomme { $name }, mais cette interface réseau n’existe pas : les appareils qui s’y trouvent ne sont pas vus
status-devices-neighbours-failed = La lecture de la table des voisins a échoué ({ $error }) : de nouveaux appareils peuvent manquer un moment
status-radio-no-ap = L’adaptateur Wi-Fi { radio-name } ne peut pas être un point d’accès (son pilote n’a pas de mode AP) : non utilisé
status-radio-usb-many = { $count } adaptateurs Wi-Fi USB peuvent être points d’accès ({ $radios }) : le boîtier utilise { $radio }, le premier par nom ; choisissez-en un autre avec wifi.interface
status-fine-again = de nouveau en ordre
note-wifi = Wi-Fi ({ $about })
note-radio = Radio Wi-Fi
note-recovery = Code de secours d’administration (à taper comme mot de passe ; valable une fois)
note-https = Empreinte du certificat HTTPS (SHA-256)
## Réclamations sur les formulaires (ce qui a été envoyé est inutilisable).
complaint-body = Le formulaire n’a pas pu être lu : { $error }
complaint-export-format = Le format doit être « csv » ou « json », pas { $value }
complaint-export-report-part = Le rapport est la partie « hosts » ; omettez « part »
complaint-export-part = La partie doit être devices, flows, dns ou hosts, pas { $value }
complaint-not-a-number = { $key } : { $value } n’est pas un nombre
complaint-settings = Ces réglages sont inutilisables : { $error }
complaint-scope-all-device = Appareil : pas avec « tous »
complaint-scope-device-needed = Appareil : il faut l’adresse de l’appareil pour un seul appareil
complaint-scope = Portée : { $value } n’est ni « all » ni « device »
complaint-not-a-device = { $value } n’est pas l’adresse d’un appareil
complaint-block-kind = Type : { $value } n’est pas l’un de « country », « org », « ip »
complaint-block-country = { $value } n’est pas un code de pays à deux lettres (ISO 3166, p. ex. « NL »)
complaint-block-org-empty = Le nom de l’organisation est vide
complaint-block-org-long = { $max } caractères au plus
complaint-block-org-control = Sans caractères de contrôle, s’il vous plaît
complaint-block-ip = { $value } n’est pas une adresse IP
complaint-block-ip-never = { $value } ne peut pas être bloquée
complaint-mark-empty = Un repère a besoin d’un libellé (p. ex. « Ouvrez maintenant votre appli préférée »)
complaint-mark-long = Le libellé d’un repère fait au plus { $max } caractères ; celui-ci en a { $count }
complaint-mark-control = Le libellé d’un repère tient sur une ligne, sans caractères de contrôle
complaint-mark-body = La requête doit être du JSON avec un « label » d’au plus { $max } caractères : { $error }
complaint-query = Les paramètres de l’adresse n’ont pas pu être lus : { $error }
complaint-replay-window = La fenêtre de la relecture va de 1 à { $max } secondes ; celle-ci en a { $value }
complaint-replay-at = L’instant de la relecture (« at ») doit être une heure en millisecondes depuis 1970
complaint-session-name-long = Nom : { $max } caractères au plus
complaint-session-name-control = Nom : sans caractères de contrôle, s’il vous plaît
restore-done = Sauvegarde restaurée : { $nicknames } surnoms, blocage DNS pour tous { $dns_all ->
        [on] activé
       *[off] désactivé
    }, blocage DNS pour { $devices } appareils, { $blocks } blocages, { $ignores } alertes ignorées, { $rules } règles du projecteur.
restore-done-settings = Sauvegarde restaurée : réglages, { $nicknames } surnoms, blocage DNS pour tous { $dns_all ->
        [on] activé
       *[off] désactivé
    }, blocage DNS pour { $devices } appareils, { $blocks } blocages, { $ignores } alertes ignorées, { $rules } règles du projecteur.
restore-already = { $count } étaient déjà là.
restore-expired = { $count } alertes ignorées avaient expiré et ont été laissées de côté.
restore-not-applied = Non appliqué : { $problems }.
restore-secrets-now = En vigueur maintenant : { $secrets }.
restore-secret-admin-password = mot de passe administrateur
restore-secret-metrics-token = jeton des métriques
restore-passphrase-at-restart = La phrase secrète du Wi-Fi est enregistrée et s’applique au prochain démarrage (la changer maintenant déconnecterait tous les appareils de la salle).
restore-secrets-not-applied = Secrets non appliqués : { $problems }.
restore-choose-file = choisissez un fichier de sauvegarde, ou collez son contenu
restore-upload-unreadable = le fichier envoyé n’a pas pu être lu : { $error }
restore-not-text = le fichier choisi n’est pas une sauvegarde whereflow (ce n’est pas du texte)
fail-no-history = l’historique n’est pas enregistré sur ce boîtier (voir les avertissements)
fail-busy-exports = occupé : deux exports sont déjà en cours ; réessayez dans un instant
fail-busy-shutdown = occupé : les exports sont en train de s’arrêter ; réessayez dans un instant
fail-busy-deleting = occupé : la base de données est encore en train de supprimer ; réessayez dans un instant
fail-no-such-session = il n’y a pas de séance { $id }
fail-current-session = la séance { $id } est la séance en cours : commencez une nouvelle séance avant de la supprimer
fail-writer = l’écriture dans la base de données ne fonctionne pas ou est trop occupée : { $error }
fail-too-many-marks = cette session a déjà { $max } repères, le maximum qu’une session garde
fail-keep-or-delete = choisissez de garder ou de supprimer l’ancienne séance
fail-rule-duplicate = cette règle est déjà en place (règle { $id })
fail-rules-full = au plus { $max } règles par séance ; annulez-en d’abord quelques-unes
fail-no-such-rule = il n’y a pas de règle { $id }
fail-controls-off = les contrôles sont désactivés sur ce boîtier (control.enabled = false)
fail-no-such-block = il n’y a pas de blocage { $id }
fail-no-such-flow = il n’y a pas de connexion { $id } (elle a peut-être été oubliée)
fail-flow-closed = la connexion { $id } est déjà terminée
fail-block-duplicate = { $value } est déjà bloqué (blocage { $id })
fail-blocks-full = les listes de blocage contiennent déjà { $count } adresses (control.max_blocked_addresses)
fail-nft = le blocage a besoin de nftables, qui a échoué : { $error }
fail-kill-gone = la connexion n’est plus dans la table des connexions du noyau (elle est terminée)
fail-kill-denied = pas le droit de modifier la table des connexions (il faut CAP_NET_ADMIN) : { $error }
fail-kill-refused = le noyau a refusé de supprimer la connexion : { $error }
fail-kill-io = l’échange avec la table des connexions du noyau a échoué : { $error }
fail-internal = quelque chose s’est mal passé dans le boîtier : { $error }
fail-choose-on-off = choisissez activé ou désactivé
