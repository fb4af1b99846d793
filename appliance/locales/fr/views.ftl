# whereflow : les mots des vues en direct (français). Les mêmes clés que en/views.ftl.

## Nombres de…
count-device = { $n ->
    [one] { $n } appareil
   *[other] { $n } appareils
}
count-company = { $n ->
    [one] { $n } entreprise
   *[other] { $n } entreprises
}
count-country = { $n ->
    [one] { $n } pays
   *[other] { $n } pays
}
count-connection = { $n ->
    [one] { $n } connexion
   *[other] { $n } connexions
}
count-tracker = { $n ->
    [one] { $n } traqueur
   *[other] { $n } traqueurs
}
count-place = { $n ->
    [one] { $n } lieu
   *[other] { $n } lieux
}
count-website = { $n ->
    [one] { $n } site ou service
   *[other] { $n } sites et services
}
other-device = { $n ->
    [one] { $n } autre appareil
   *[other] { $n } autres appareils
}
other-domain = { $n ->
    [one] { $n } autre site ou service
   *[other] { $n } autres sites et services
}
other-org = { $n ->
    [one] { $n } autre entreprise
   *[other] { $n } autres entreprises
}
other-country = { $n ->
    [one] { $n } autre pays
   *[other] { $n } autres pays
}
ago-seconds = il y a { $n } s
ago-minutes = il y a { $n } min
ago-hours = il y a { $n } h
date-time = { $day }/{ $month }/{ $year } { $time }

## L’état en direct
live-live = En direct
live-polling = Mise à jour toutes les quelques secondes
live-error = Impossible de joindre le boîtier ({ $error }) ; nouvel essai…
live-paused = En pause

## Les noms dans les vues
name-other = Autres
name-hidden-company = Entreprise masquée
name-hidden-website = Site masqué
name-no-dns = aucun DNS vu
name-unknown-company = Entreprise inconnue
name-unknown-place = Lieu inconnu
name-unknown = Inconnu
name-you = { $name } (toi)
all-devices = Tous les appareils ({ $n })
device-not-seen = { $id } (absent en ce moment)

## Accueil
home-live = En ce moment : { $who } ont parlé à { $orgs } dans { $countries } au cours des 5 dernières minutes.
home-live-devices = Les appareils d’ici
home-live-none = Aucun appareil n’a rien envoyé au cours des 5 dernières minutes.

## Flux (sankey)
sankey-when-60 = au cours de la dernière minute
sankey-when-300 = au cours des 5 dernières minutes
sankey-when-900 = au cours des 15 dernières minutes
sankey-when-session = pendant cette séance
sankey-when-mark = depuis le repère
sankey-col-devices = Appareils
sankey-col-domains = Sites et services
sankey-col-orgs = Entreprises
sankey-col-countries = Pays
sankey-link-tracker = (traqueur ou publicité)
sankey-node-tracker = traqueur ou publicité : { $value }
sankey-showing = Affiché : { $what }. Relié à { $parts }. Touche-le de nouveau ou appuie sur Échap pour tout voir.
sankey-pointing = Pointé : { $what }. Relié à { $parts }.
sankey-focus-hint = Pointe ou touche un appareil, un site, une entreprise ou un pays pour suivre son chemin.
sankey-none = Aucune connexion { $when }.
sankey-privacy-who = Cet appareil et les autres (mode confidentialité)
sankey-summary = { $who } ont échangé { $bytes } avec { $orgs } dans { $countries } { $when }. { $share } sont allés à des traqueurs et des publicitaires.
sankey-badge-tracker = ⚠ traqueur

## Carte du monde
map-home-unset-long = L’emplacement de ce boîtier n’est pas défini : aucune ligne n’en part. La personne qui le gère peut définir site.latitude et site.longitude dans son fichier de configuration.
map-home-title = Ce WiFi : le boîtier auquel tu es connecté
map-you-are-here = Tu es ici
map-you-are-here-named = Tu es ici ({ $name })
map-unknown-country = pays inconnu
map-place-words = { $where } : { $bytes } venant de { $devices }, surtout { $kind }
map-place-trackers = ; { $share } vers des traqueurs
map-place-active = ; actif en ce moment
map-summary = Des données sont allées vers { $places } dans { $countries }.
map-summary-active = Des données sont allées vers { $places } dans { $countries } ; { $active } actifs en ce moment (qui pulsent).
map-none = Aucune connexion pendant cette période pour l’instant.
map-not-on-map = (absent de la carte)

## Marks and the session's timeline (presenter, sankey, map)
sankey-when-replay = dans les 5 minutes avant ce moment de la relecture
marks-none = Pas encore de repère.
marks-none-since = Pas encore de repère : toute la séance est affichée.
marks-latest = Dernier repère : « { $label } » à { $time }.
marks-since = Seulement ce qui s’est passé depuis le repère : « { $label } » à { $time }.
marks-form-label = Marquer ce moment
marks-form-placeholder = Ouvrez maintenant votre application préférée
marks-form-button = Marquer maintenant
marks-bad-label = Un repère a besoin d’un nom de 1 à { $max } caractères (celui-ci en a { $n }).
marks-not-set = Le repère n’a pas été posé : { $why }
timeline-other = Autres entreprises
timeline-unknown = Entreprise inconnue
timeline-hidden = Masqué par l’enseignant
marks-timeline = Données par minute et par entreprise pendant cette séance, avec les repères

## Replay of a stored session (admin)
replay-title = Relecture de la séance { $id }
replay-lede = Lancez, mettez en pause ou faites glisser le curseur : la vue montre ce qui se passait à ce moment de la séance.
replay-back = Retour à la vue en direct
replay-play = Lecture
replay-pause = Pause
replay-scrub = Moment de la séance
replay-loading = Chargement de la séance…
replay-position = { $time } ({ $elapsed } sur { $total })
replay-gone = La séance { $id } n’est plus enregistrée : elle a été supprimée, ou n’a jamais existé. Choisissez-en une autre sur la page d’administration.
replay-denied = Seul l’administrateur peut relire une séance : connectez-vous d’abord sur la page d’administration.
replay-failed = La relecture n’a pas pu être lue : { $why }
replay-noscript = La relecture a besoin de JavaScript.

## Projection
presenter-devices-private = appareils (non comptés : mode confidentialité)
presenter-devices = appareils
presenter-nothing-yet = Rien pour l’instant : ouvre une appli ou un site sur un téléphone connecté à ce WiFi.
presenter-no-trackers = aucun traqueur
presenter-no-devices = Aucun appareil pour l’instant.
presenter-fullscreen = Plein écran
presenter-leave-fullscreen = Quitter le plein écran
presenter-sound-on = Son des alertes : activé
presenter-sound-off = Son des alertes : coupé
presenter-sound-unavailable = Son des alertes : indisponible
presenter-since-mark-on = Depuis le repère : oui
presenter-since-mark-off = Depuis le repère : non
# Le WiFi de la salle (le point d’accès du boîtier) et la connexion vers l’extérieur, d’après /api/v1/status.
presenter-room-full = Salle pleine : { $associated } appareils sont sur ce WiFi, à peu près autant qu’il en accepte. Un appareil de plus risque de ne pas entrer ; dès qu’un autre part, il y a de nouveau de la place.
presenter-room-nearly = Presque plein : { $associated } appareils sur environ { $capacity } sont sur ce WiFi.
presenter-uplink-login = Le réseau de l’école demande une connexion : ce boîtier n’atteint pas Internet tant que personne ne s’est connecté. Ouvre une page web quelconque sur un appareil connecté à ce WiFi et connecte-toi là.

## My device (live)
me-no-connections = Pas encore de connexions.
me-no-lookups = Aucun nom cherché pour l’instant.
me-unknown-kind = Type inconnu
badge-tracker = traqueur
badge-blocked = bloqué
unit-sent = envoyés
unit-received = reçus
unit-connections = connexions

## Alerts (server and live)
alert-outside-host = Un hôte extérieur
alert-other-side = Autre côté :
alert-first-seen = Vu d’abord à
alert-last-seen = vu en dernier à
alert-count = { $n ->
    [one] une fois
   *[other] { $n } fois
}
alert-ignored-until = Ignorée jusqu’à { $time }
alert-ignore = Ignorer pendant 1 heure
alerts-none = Aucune alerte
alerts-newest = Les { $shown } plus récentes sur { $total } alertes
alerts-count = { $n ->
    [one] { $n } alerte
   *[other] { $n } alertes
}
alerts-no-match = Aucune alerte ne correspond à ce filtre.
alerts-nothing = Rien d’inhabituel jusqu’ici.
alerts-login-ended = Ta connexion d’administrateur a expiré : reconnecte-toi sur la page d’administration.
alerts-gone = Cette alerte n’est plus conservée.
alerts-not-ignored-status = Non ignorée ({ $status }).
alerts-unreachable = Impossible de joindre le boîtier ({ $error }).

alerts-refused = Refusé : recharge cette page et réessaie.

## Devices without a name
device-numbered = Appareil { $n }
device-address = Appareil { $tail }

## What the detectors saw (each alert's sentence; arguments are data: addresses, names, numbers)
alert-msg-encrypted-dns-dot = { $device } a ouvert une connexion DNS chiffrée ({ $how }, port 853) vers { $to }. Ses recherches contournent ce boîtier : les noms qu’il visite ne sont donc pas affichés.
alert-msg-encrypted-dns-doh = { $device } s’est connecté à { $to }, un résolveur public DNS-over-HTTPS. Ses recherches contournent ce boîtier, chiffrées : les noms qu’il visite ne sont donc pas affichés.
alert-msg-encrypted-dns-no-dns = { $device } cherche des noms par ce boîtier, mais en { $minutes } minutes il a ouvert des connexions vers { $n } adresses qu’il n’a jamais cherchées ici (la dernière : { $latest }). Il résout peut-être les noms autrement (DNS chiffré intégré à une appli ou un navigateur), ou utilise des adresses écrites dans une appli.
alert-msg-upload-sudden = { $device } a envoyé { $bytes } à { $to } en { $seconds } secondes : bien plus qu’il n’a reçu. Des fichiers, des photos ou des enregistrements quittent peut-être l’appareil.
alert-msg-upload-sustained = { $device } envoie des données à { $to } depuis { $seconds } secondes sans pause ({ $bytes } dans les { $window } dernières secondes). Quelque chose sur l’appareil envoie sans arrêt : une sauvegarde, un appel, une caméra — ou des données qui partent sans que personne ne le remarque.
alert-msg-deny-list = { $device } s’est connecté à { $to }, une destination de la liste de blocage « { $list } ».
alert-msg-allow-countries = { $device } s’est connecté à { $to } : le pays { $country } n’est pas sur la liste autorisée.
alert-msg-allow-orgs = { $device } s’est connecté à { $to } : l’organisation { $org } n’est pas sur la liste autorisée.
alert-msg-allow-domains = { $device } s’est connecté à { $to } : le domaine n’est pas sur la liste autorisée.
alert-msg-dns-tunnel-long = { $device } a cherché { $n } noms inhabituellement longs, d’apparence aléatoire, sous { $zone } en une minute (le plus long fait { $longest } caractères). Des données peuvent sortir en cachette dans des recherches DNS de ce genre (tunnel DNS).
alert-msg-dns-tunnel-unique = { $device } a cherché { $n } noms différents sous { $zone } en une minute. Cacher des données dans des noms toujours nouveaux, c’est ainsi que fonctionne un tunnel DNS.
alert-msg-dns-tunnel-txt = { $device } a demandé { $n } enregistrements TXT sous { $zone } en une minute. Les réponses TXT peuvent faire entrer des données (tunnel DNS) ; une navigation ordinaire en demande peu.
alert-msg-scan-ports = { $outside ->
        [yes] Un hôte extérieur, { $who },
       *[no] { $who }
    } a essayé { $ports } ports différents sur { $target } en { $seconds } secondes ({ $how ->
        [connection] tentatives de connexion, un balayage SYN ou connect
       *[probes] sondes { $probes }
    }) : un balayage de ports cherche des services où s’introduire.
alert-msg-scan-hosts = { $outside ->
        [yes] Un hôte extérieur, { $who },
       *[no] { $who }
    } { $icmp ->
        [yes] a envoyé un ping à
       *[no] a essayé le port { $port } sur
    } { $hosts } machines différentes de { $network } en { $seconds } secondes ({ $how ->
        [connection] tentatives de connexion, un balayage SYN ou connect
       *[probes] sondes { $probes }
    }) : un tel balayage cherche des machines à attaquer.
alert-msg-scan-odd = { $outside ->
        [yes] Un hôte extérieur, { $who },
       *[no] { $who }
    } a envoyé { $n } sondes { $probes } à { $target } en { $seconds } secondes : des paquets avec des combinaisons de drapeaux qu’aucune connexion normale n’utilise, faits pour faire passer un balayage de ports à travers les pare-feu.
alert-msg-spoofing-gateway = { $known ->
        [yes] L’appareil à l’adresse { $who }
       *[no] Un appareil que le boîtier ne connaît pas encore
    } revendique l’adresse de la passerelle, { $gateway }, sur le réseau local. Les appareils qui le croient lui envoient leur trafic au lieu du boîtier : quelqu’un essaie peut-être de lire ou de modifier le trafic des autres (usurpation ARP).
alert-msg-spoofing-conflict = Deux appareils revendiquent l’adresse { $address } : une autre carte réseau{ $other ->
        [yes] {" "}(l’appareil à l’adresse { $device })
       *[no] {""}
    } l’a reprise { $seconds } secondes après que la première a été vue avec elle pour la dernière fois. Soit deux appareils ont reçu la même adresse, soit l’un se fait passer pour l’autre afin de recevoir son trafic (usurpation ARP).

## Device names the appliance makes up (the server and the scripts say them)
device-name-vendor = Appareil { $vendor }
device-name-address = Appareil { $tail }
device-name-plain = Appareil
device-name-hidden = Appareil masqué
device-name-others = Autres appareils
device-name-hidden-many = Appareils masqués

## Pseudonymes (« Loutre bleue ») : l’animal puis la couleur, accordée à son genre.
pseudonym = { $animal } { $colour }
pseudonym-numbered = { $animal } { $colour } { $round }
animal-otter = Loutre
    .gender = feminine
animal-fox = Renard
    .gender = masculine
animal-panda = Panda
    .gender = masculine
animal-koala = Koala
    .gender = masculine
animal-tiger = Tigre
    .gender = masculine
animal-lion = Lion
    .gender = masculine
animal-rabbit = Lapin
    .gender = masculine
animal-owl = Chouette
    .gender = feminine
animal-penguin = Manchot
    .gender = masculine
animal-dolphin = Dauphin
    .gender = masculine
animal-whale = Baleine
    .gender = feminine
animal-turtle = Tortue
    .gender = feminine
animal-frog = Grenouille
    .gender = feminine
animal-bee = Abeille
    .gender = feminine
animal-butterfly = Papillon
    .gender = masculine
animal-octopus = Pieuvre
    .gender = feminine
animal-hedgehog = Hérisson
    .gender = masculine
animal-hamster = Hamster
    .gender = masculine
animal-deer = Cerf
    .gender = masculine
animal-zebra = Zèbre
    .gender = masculine
animal-giraffe = Girafe
    .gender = feminine
animal-elephant = Éléphant
    .gender = masculine
animal-camel = Chameau
    .gender = masculine
animal-kangaroo = Kangourou
    .gender = masculine
animal-parrot = Perroquet
    .gender = masculine
animal-flamingo = Flamant
    .gender = masculine
animal-swan = Cygne
    .gender = masculine
animal-duck = Canard
    .gender = masculine
animal-seal = Phoque
    .gender = masculine
animal-beaver = Castor
    .gender = masculine
animal-llama = Lama
    .gender = masculine
animal-badger = Blaireau
    .gender = masculine
colour-red = rouge
colour-orange = orange
colour-gold = { $gender ->
        [feminine] dorée
       *[masculine] doré
    }
colour-green = { $gender ->
        [feminine] verte
       *[masculine] vert
    }
colour-blue = { $gender ->
        [feminine] bleue
       *[masculine] bleu
    }
colour-purple = pourpre
colour-pink = rose
colour-silver = { $gender ->
        [feminine] argentée
       *[masculine] argenté
    }
colour-teal = turquoise
colour-coral = corail
colour-violet = { $gender ->
        [feminine] violette
       *[masculine] violet
    }
colour-mint = jade
colour-amber = { $gender ->
        [feminine] ambrée
       *[masculine] ambré
    }
colour-lime = anis
colour-navy = marine
colour-ruby = rubis
