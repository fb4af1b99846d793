# whereflow: die Wörter der Live-Ansichten (Deutsch). Dieselben Schlüssel wie en/views.ftl.

## Anzahlen
count-device = { $n ->
    [one] { $n } Gerät
   *[other] { $n } Geräte
}
count-company = { $n ->
    [one] { $n } Firma
   *[other] { $n } Firmen
}
count-country = { $n ->
    [one] { $n } Land
   *[other] { $n } Ländern
}
count-connection = { $n ->
    [one] { $n } Verbindung
   *[other] { $n } Verbindungen
}
count-tracker = { $n ->
    [one] { $n } Tracker
   *[other] { $n } Tracker
}
count-place = { $n ->
    [one] { $n } Ort
   *[other] { $n } Orte
}
count-website = { $n ->
    [one] { $n } Website oder Dienst
   *[other] { $n } Websites und Dienste
}
ago-seconds = vor { $n } s
ago-minutes = vor { $n } Min.
ago-hours = vor { $n } Std.
date-time = { $day }.{ $month }.{ $year }, { $time }

## Der Live-Status
live-live = Live
live-polling = Aktualisiert alle paar Sekunden
live-error = Die Box ist nicht erreichbar ({ $error }); neuer Versuch …
live-paused = Angehalten

## Namen in den Ansichten
name-other = Andere
other-device = { $n ->
    [one] { $n } weiteres Gerät
   *[other] { $n } weitere Geräte
}
other-domain = { $n ->
    [one] { $n } weitere Website oder Dienst
   *[other] { $n } weitere Websites und Dienste
}
other-org = { $n ->
    [one] { $n } weitere Firma
   *[other] { $n } weitere Firmen
}
other-country = { $n ->
    [one] { $n } weiteres Land
   *[other] { $n } weitere Länder
}
name-hidden-company = Verborgene Firma
name-hidden-website = Verborgene Website
name-no-dns = kein DNS gesehen
name-unknown-company = Unbekannte Firma
name-unknown-place = Unbekannter Ort
name-unknown = Unbekannt
name-you = { $name } (du)
all-devices = Alle Geräte ({ $n })
device-not-seen = { $id } (gerade nicht da)

## Start
home-live = Gerade eben: { $who } sprachen in den letzten 5 Minuten mit { $orgs } in { $countries }.
home-live-devices = Die Geräte hier
home-live-none = In den letzten 5 Minuten hat kein Gerät etwas gesendet.

## Datenflüsse (Sankey)
sankey-when-60 = in der letzten Minute
sankey-when-300 = in den letzten 5 Minuten
sankey-when-900 = in den letzten 15 Minuten
sankey-when-session = in dieser Sitzung
sankey-when-mark = seit der Markierung
sankey-col-devices = Geräte
sankey-col-domains = Websites & Dienste
sankey-col-orgs = Firmen
sankey-col-countries = Länder
sankey-link-tracker = (Tracker oder Werbung)
sankey-node-tracker = Tracker oder Werbung: { $value }
sankey-showing = Gezeigt: { $what }. Verbunden mit { $parts }. Tippe noch einmal oder drücke Escape, um alles zu sehen.
sankey-pointing = Zeigt auf: { $what }. Verbunden mit { $parts }.
sankey-focus-hint = Zeige auf ein Gerät, eine Website, eine Firma oder ein Land oder tippe darauf, um seinem Weg zu folgen.
sankey-none = Keine Verbindungen { $when }.
sankey-privacy-who = Dieses Gerät und die anderen (Privatsphäre-Modus)
sankey-summary = { $who } tauschten { $when } { $bytes } mit { $orgs } in { $countries } aus. { $share } davon gingen an Tracker und Werbefirmen.
sankey-badge-tracker = ⚠ Tracker

## Weltkarte
map-home-unset-long = Der Standort dieser Box ist nicht eingestellt, darum werden keine Linien von ihr aus gezeichnet. Wer sie betreibt, kann site.latitude und site.longitude in ihrer Konfigurationsdatei setzen.
map-home-title = Dieses WLAN: die Box, mit der du verbunden bist
map-you-are-here = Du bist hier
map-you-are-here-named = Du bist hier ({ $name })
map-unknown-country = unbekanntes Land
map-place-words = { $where }: { $bytes } von { $devices }, meist { $kind }
map-place-trackers = ; { $share } an Tracker
map-place-active = ; gerade aktiv
map-summary = Daten gingen an { $places } in { $countries }.
map-summary-active = Daten gingen an { $places } in { $countries }; { $active } gerade aktiv (pulsierend).
map-none = In diesem Zeitraum noch keine Verbindungen.
map-not-on-map = (nicht auf der Karte)

## Marks and the session's timeline (presenter, sankey, map)
sankey-when-replay = in den 5 Minuten vor diesem Moment der Wiedergabe
marks-none = Noch keine Markierung.
marks-none-since = Noch keine Markierung: die ganze Sitzung wird gezeigt.
marks-latest = Letzte Markierung: „{ $label }“ um { $time }.
marks-since = Nur was seit der Markierung geschah: „{ $label }“ um { $time }.
marks-form-label = Diesen Moment markieren
marks-form-placeholder = Öffnet jetzt eure Lieblings-App
marks-form-button = Jetzt markieren
marks-bad-label = Eine Markierung braucht eine Beschriftung mit 1 bis { $max } Zeichen (diese hat { $n }).
marks-not-set = Die Markierung wurde nicht gesetzt: { $why }
timeline-other = Andere Firmen
timeline-unknown = Unbekannte Firma
timeline-hidden = Von der Lehrkraft ausgeblendet
marks-timeline = Daten pro Minute und Firma in dieser Sitzung, mit den Markierungen

## Replay of a stored session (admin)
replay-title = Wiedergabe der Sitzung { $id }
replay-lede = Abspielen, anhalten oder den Regler ziehen: die Ansicht zeigt, was in diesem Moment der Sitzung geschah.
replay-back = Zurück zur Live-Ansicht
replay-play = Abspielen
replay-pause = Anhalten
replay-scrub = Zeit in der Sitzung
replay-loading = Die Sitzung wird geladen…
replay-position = { $time } ({ $elapsed } von { $total })
replay-gone = Sitzung { $id } ist nicht mehr gespeichert: sie wurde gelöscht oder gab es nie. Wählen Sie auf der Admin-Seite eine andere.
replay-denied = Nur der Admin kann eine Sitzung wiedergeben: melden Sie sich zuerst auf der Admin-Seite an.
replay-failed = Die Wiedergabe konnte nicht gelesen werden: { $why }
replay-noscript = Die Wiedergabe braucht JavaScript.

## Beamer
presenter-devices-private = Geräte (nicht gezählt: Privatsphäre-Modus)
presenter-devices = Geräte
presenter-nothing-yet = Noch nichts: Öffne eine App oder Website auf einem Handy in diesem WLAN.
presenter-no-trackers = keine Tracker
presenter-no-devices = Noch keine Geräte.
presenter-fullscreen = Vollbild
presenter-leave-fullscreen = Vollbild verlassen
presenter-sound-on = Warnton: an
presenter-sound-off = Warnton: aus
presenter-sound-unavailable = Warnton: nicht verfügbar
presenter-since-mark-on = Seit der Markierung: an
presenter-since-mark-off = Seit der Markierung: aus
# Das WLAN des Raums (der Zugangspunkt der Box) und die Verbindung nach draußen, aus /api/v1/status.
presenter-room-full = Raum voll: { $associated } Geräte sind in diesem WLAN, etwa so viele, wie es aufnimmt. Ein weiteres Gerät kommt vielleicht nicht hinein; sobald eines geht, ist wieder Platz.
presenter-room-nearly = Fast voll: { $associated } von etwa { $capacity } Geräten sind in diesem WLAN.
presenter-uplink-login = Das Schulnetz verlangt eine Anmeldung: Bis sich jemand anmeldet, kommt diese Box nicht ins Internet. Öffne auf einem Gerät in diesem WLAN eine beliebige Webseite und melde dich dort an.

## My device (live)
me-no-connections = Noch keine Verbindungen.
me-no-lookups = Noch keine Namen nachgeschlagen.
me-unknown-kind = Unbekannte Art
badge-tracker = Tracker
badge-blocked = gesperrt
unit-sent = gesendet
unit-received = empfangen
unit-connections = Verbindungen

## Alerts (server and live)
alert-outside-host = Ein Rechner von außen
alert-other-side = Gegenseite:
alert-first-seen = Zuerst gesehen
alert-last-seen = zuletzt gesehen
alert-count = { $n ->
    [one] einmal
   *[other] { $n }-mal
}
alert-ignored-until = Ignoriert bis { $time }
alert-ignore = 1 Stunde ignorieren
alerts-none = Keine Warnungen
alerts-newest = Die neuesten { $shown } von { $total } Warnungen
alerts-count = { $n ->
    [one] { $n } Warnung
   *[other] { $n } Warnungen
}
alerts-no-match = Keine Warnung passt zu diesem Filter.
alerts-nothing = Bisher nichts Ungewöhnliches.
alerts-login-ended = Deine Admin-Anmeldung ist abgelaufen: Melde dich auf der Admin-Seite wieder an.
alerts-gone = Diese Warnung wird nicht mehr aufbewahrt.
alerts-not-ignored-status = Nicht ignoriert ({ $status }).
alerts-unreachable = Die Box ist nicht erreichbar ({ $error }).

alerts-refused = Abgelehnt: Lade diese Seite neu und versuch es noch einmal.

## Devices without a name
device-numbered = Gerät { $n }
device-address = Gerät { $tail }

## What the detectors saw (each alert's sentence; arguments are data: addresses, names, numbers)
alert-msg-encrypted-dns-dot = { $device } hat eine verschlüsselte DNS-Verbindung ({ $how }, Port 853) zu { $to } geöffnet. Seine Anfragen gehen an dieser Box vorbei, deshalb werden die Namen, die es aufruft, nicht gezeigt.
alert-msg-encrypted-dns-doh = { $device } hat sich mit { $to } verbunden, einem öffentlichen DNS-over-HTTPS-Resolver. Seine Anfragen gehen verschlüsselt an dieser Box vorbei, deshalb werden die Namen, die es aufruft, nicht gezeigt.
alert-msg-encrypted-dns-no-dns = { $device } schlägt Namen über diese Box nach, hat aber innerhalb von { $minutes } Minuten Verbindungen zu { $n } Adressen geöffnet, die es hier nie nachgeschlagen hat (die letzte: { $latest }). Es löst Namen vielleicht auf anderem Weg auf (verschlüsseltes DNS in einer App oder einem Browser) oder nutzt Adressen, die fest in einer App stehen.
alert-msg-upload-sudden = { $device } hat innerhalb von { $seconds } Sekunden { $bytes } an { $to } gesendet: viel mehr, als es empfangen hat. Dateien, Fotos oder Aufnahmen verlassen vielleicht das Gerät.
alert-msg-upload-sustained = { $device } sendet seit { $seconds } Sekunden ohne Pause Daten an { $to } ({ $bytes } in den letzten { $window } Sekunden). Etwas auf dem Gerät sendet ständig: ein Backup, ein Anruf, eine Kamera – oder Daten gehen hinaus, ohne dass es jemand merkt.
alert-msg-deny-list = { $device } hat sich mit { $to } verbunden, einem Ziel auf der Sperrliste „{ $list }“.
alert-msg-allow-countries = { $device } hat sich mit { $to } verbunden: Das Land { $country } steht nicht auf der Erlaubt-Liste.
alert-msg-allow-orgs = { $device } hat sich mit { $to } verbunden: Die Organisation { $org } steht nicht auf der Erlaubt-Liste.
alert-msg-allow-domains = { $device } hat sich mit { $to } verbunden: Die Domain steht nicht auf der Erlaubt-Liste.
alert-msg-dns-tunnel-long = { $device } hat innerhalb einer Minute { $n } ungewöhnlich lange, zufällig aussehende Namen unter { $zone } nachgeschlagen (der längste hat { $longest } Zeichen). In solchen DNS-Anfragen können Daten versteckt hinausgeschmuggelt werden (DNS-Tunneling).
alert-msg-dns-tunnel-unique = { $device } hat innerhalb einer Minute { $n } verschiedene Namen unter { $zone } nachgeschlagen. Daten in immer neuen Namen zu verstecken ist, wie DNS-Tunneling funktioniert.
alert-msg-dns-tunnel-txt = { $device } hat innerhalb einer Minute { $n } TXT-Einträge unter { $zone } abgefragt. TXT-Antworten können Daten hereinbringen (DNS-Tunneling); normales Surfen braucht nur wenige.
alert-msg-scan-ports = { $outside ->
        [yes] Ein Rechner von außen ({ $who })
       *[no] { $who }
    } hat innerhalb von { $seconds } Sekunden { $ports } verschiedene Ports auf { $target } ausprobiert ({ $how ->
        [connection] Verbindungsversuche, ein SYN- oder Connect-Scan
       *[probes] { $probes }-Proben
    }): Ein Portscan sucht nach Diensten, in die man einbrechen kann.
alert-msg-scan-hosts = { $outside ->
        [yes] Ein Rechner von außen ({ $who })
       *[no] { $who }
    } hat innerhalb von { $seconds } Sekunden { $hosts } verschiedene Rechner in { $network } { $icmp ->
        [yes] angepingt
       *[no] auf Port { $port } ausprobiert
    } ({ $how ->
        [connection] Verbindungsversuche, ein SYN- oder Connect-Scan
       *[probes] { $probes }-Proben
    }): Ein solcher Suchlauf sucht nach Rechnern, die man angreifen kann.
alert-msg-scan-odd = { $outside ->
        [yes] Ein Rechner von außen ({ $who })
       *[no] { $who }
    } hat innerhalb von { $seconds } Sekunden { $n } { $probes }-Proben an { $target } gesendet: Pakete mit Flag-Kombinationen, die keine normale Verbindung nutzt, um einen Portscan an Firewalls vorbeizuschmuggeln.
alert-msg-spoofing-gateway = { $known ->
        [yes] Das Gerät mit der Adresse { $who }
       *[no] Ein Gerät, das die Box noch nicht kennt,
    } beansprucht die Adresse des Gateways, { $gateway }, im lokalen Netz. Geräte, die das glauben, schicken ihm ihren Datenverkehr statt der Box: Vielleicht versucht jemand, den Datenverkehr anderer mitzulesen oder zu verändern (ARP-Spoofing).
alert-msg-spoofing-conflict = Zwei Geräte beanspruchen die Adresse { $address }: Eine andere Netzwerkkarte{ $other ->
        [yes] {" "}(das Gerät mit der Adresse { $device })
       *[no] {""}
    } hat sie { $seconds } Sekunden, nachdem die erste zuletzt damit gesehen wurde, übernommen. Entweder haben zwei Geräte dieselbe Adresse bekommen, oder eines gibt sich als das andere aus, um dessen Datenverkehr zu empfangen (ARP-Spoofing).

## Device names the appliance makes up (the server and the scripts say them)
device-name-vendor = { $vendor }-Gerät
device-name-address = Gerät { $tail }
device-name-plain = Gerät
device-name-hidden = Verborgenes Gerät
device-name-others = Andere Geräte
device-name-hidden-many = Verborgene Geräte

## Pseudonyme („Blauer Otter“): Farbe und Tier; das Adjektiv richtet sich nach dem Geschlecht des Tiers.
pseudonym = { $colour } { $animal }
pseudonym-numbered = { $colour } { $animal } { $round }
animal-otter = Otter
    .gender = masculine
animal-fox = Fuchs
    .gender = masculine
animal-panda = Panda
    .gender = masculine
animal-koala = Koala
    .gender = masculine
animal-tiger = Tiger
    .gender = masculine
animal-lion = Löwe
    .gender = masculine
animal-rabbit = Hase
    .gender = masculine
animal-owl = Eule
    .gender = feminine
animal-penguin = Pinguin
    .gender = masculine
animal-dolphin = Delfin
    .gender = masculine
animal-whale = Wal
    .gender = masculine
animal-turtle = Schildkröte
    .gender = feminine
animal-frog = Frosch
    .gender = masculine
animal-bee = Biene
    .gender = feminine
animal-butterfly = Schmetterling
    .gender = masculine
animal-octopus = Krake
    .gender = masculine
animal-hedgehog = Igel
    .gender = masculine
animal-hamster = Hamster
    .gender = masculine
animal-deer = Hirsch
    .gender = masculine
animal-zebra = Zebra
    .gender = neuter
animal-giraffe = Giraffe
    .gender = feminine
animal-elephant = Elefant
    .gender = masculine
animal-camel = Kamel
    .gender = neuter
animal-kangaroo = Känguru
    .gender = neuter
animal-parrot = Papagei
    .gender = masculine
animal-flamingo = Flamingo
    .gender = masculine
animal-swan = Schwan
    .gender = masculine
animal-duck = Ente
    .gender = feminine
animal-seal = Robbe
    .gender = feminine
animal-beaver = Biber
    .gender = masculine
animal-llama = Lama
    .gender = neuter
animal-badger = Dachs
    .gender = masculine
colour-red = { $gender ->
        [feminine] Rote
        [neuter] Rotes
       *[masculine] Roter
    }
colour-orange = { $gender ->
        [feminine] Orangee
        [neuter] Orangees
       *[masculine] Orangeer
    }
colour-gold = { $gender ->
        [feminine] Goldene
        [neuter] Goldenes
       *[masculine] Goldener
    }
colour-green = { $gender ->
        [feminine] Grüne
        [neuter] Grünes
       *[masculine] Grüner
    }
colour-blue = { $gender ->
        [feminine] Blaue
        [neuter] Blaues
       *[masculine] Blauer
    }
colour-purple = { $gender ->
        [feminine] Purpurne
        [neuter] Purpurnes
       *[masculine] Purpurner
    }
colour-pink = { $gender ->
        [feminine] Pinke
        [neuter] Pinkes
       *[masculine] Pinker
    }
colour-silver = { $gender ->
        [feminine] Silberne
        [neuter] Silbernes
       *[masculine] Silberner
    }
colour-teal = { $gender ->
        [feminine] Blaugrüne
        [neuter] Blaugrünes
       *[masculine] Blaugrüner
    }
colour-coral = { $gender ->
        [feminine] Korallenrote
        [neuter] Korallenrotes
       *[masculine] Korallenroter
    }
colour-violet = { $gender ->
        [feminine] Violette
        [neuter] Violettes
       *[masculine] Violetter
    }
colour-mint = { $gender ->
        [feminine] Mintgrüne
        [neuter] Mintgrünes
       *[masculine] Mintgrüner
    }
colour-amber = { $gender ->
        [feminine] Gelbe
        [neuter] Gelbes
       *[masculine] Gelber
    }
colour-lime = { $gender ->
        [feminine] Hellgrüne
        [neuter] Hellgrünes
       *[masculine] Hellgrüner
    }
colour-navy = { $gender ->
        [feminine] Dunkelblaue
        [neuter] Dunkelblaues
       *[masculine] Dunkelblauer
    }
colour-ruby = { $gender ->
        [feminine] Rubinrote
        [neuter] Rubinrotes
       *[masculine] Rubinroter
    }
