# whereflow: die Seiten des Servers (Deutsch). Dieselben Schlüssel wie en/pages.ftl.
# Meldungen mit Auszeichnung (<strong>, <a>) werden als HTML eingesetzt.

## Zahlen
number-decimal = ,
number-group = .

## Das Layout
language-label = Sprache
skip-to-content = Zum Inhalt springen
nav-label = Ansichten
nav-home = Start
nav-flows = Datenflüsse
nav-map = Karte
nav-alerts = Warnungen
nav-me = Mein Gerät
nav-presenter = Beamer
footer-local = Alles auf diesen Seiten kommt von dieser Box; nichts wird aus dem Internet geladen.
footer-outlines = Kartenumrisse von Natural Earth
footer-sources = alle Datenquellen

## Seitentitel
title-home = Wohin gehen deine Daten?
title-sankey = Datenflüsse: vom Gerät zum Land
title-map = Weltkarte
title-presenter = Beamer-Ansicht
title-me = Mein Gerät
title-alerts = Warnungen
title-admin = Verwaltung
title-takehome = Zusammenfassung zum Mitnehmen

## Gemeinsame Wörter
how-to-read = So liest du es
window-label = Zeitraum
window-1 = 1 Min.
window-5 = 5 Min.
window-15 = 15 Min.
window-session = Sitzung
window-mark = Seit der Markierung
filter-device = Gerät
filter-all-devices = Alle Geräte
legend-label = Legende
waiting-for-data = Warte auf Daten …
col-device = Gerät
col-service = Website oder Dienst
col-company = Firma
col-country = Land
col-data = Daten
col-tracker = Tracker
col-place = Ort
col-devices = Geräte
col-mostly = Meist
col-companies = Firmen
col-trackers = Tracker

## Start
home-title = Wohin gehen deine Daten?
home-lede = Jedes Handy, Tablet und jeder Laptop in diesem WLAN spricht ständig mit Computern auf der ganzen Welt, auch wenn niemand es anfasst. Diese Box ist das WLAN, mit dem sie verbunden sind. Deshalb sieht sie, <strong>mit wem jedes Gerät spricht</strong> und <strong>wie viel</strong>, und zeigt es hier live.
home-card-flows = Von jedem Gerät zu den Websites und Diensten, die es nutzt, zu den Firmen dahinter und den Ländern, in denen sie stehen.
home-card-map-title = Weltkarte
home-card-map = Linien von hier zu jeder Stadt und jedem Land, in das Daten gingen.
home-card-me = Nur dein eigenes Gerät: was es nachgeschlagen hat, mit wem es sprach, wie viele Tracker.
home-card-presenter = Für den Beamer: wie man sich verbindet, und die Zahlen der ganzen Gruppe in großer Schrift.
home-read-title = So liest du das Flussdiagramm
home-read-1 = Lies es von <strong>links nach rechts</strong>: Geräte, dann die Websites und Dienste, die sie nutzten, dann die Firma, die sie betreibt, dann das Land, in dem der antwortende Computer steht.
home-read-2 = Jedes farbige Band sind Daten auf diesem Weg. <strong>Je breiter das Band, desto mehr Daten</strong> (oder, wenn du auf „Verbindungen“ umschaltest, desto mehr einzelne Verbindungen).
home-read-3 = Bänder mit <span class="badge tracker">orangen Streifen</span> und mit <strong>⚠</strong> markierte Namen gehen an Tracker oder Werbefirmen.
home-read-4 = Kleines wird in einem Kasten „Andere …“ zusammengefasst, damit das Bild lesbar bleibt. Die Tabelle unter dem Diagramm nennt die größten Wege in Worten.
home-read-5 = Zeige auf einen Kasten, tippe darauf oder wähle ihn mit der Tabulatortaste, um nur seinen Wegen zu folgen. Tippe noch einmal (oder drücke Escape), um alles zu sehen.
home-read-6 = Die Knöpfe wählen die Zeit: die letzten 1, 5 oder 15 Minuten oder die ganze Sitzung.
home-map-title = So liest du die Karte
home-map = Das Haus ist dieses WLAN. Jeder Kreis ist ein Ort, der Daten bekam: je größer der Kreis, desto mehr Daten. Die Zahl darin sagt, <strong>wie viele Geräte</strong> dorthin Daten schickten. Seine Farbe und das Wort daneben sagen, welche Art von Dienst das meiste davon war. Ein pulsierender Ring heißt: Gerade <strong>jetzt</strong> gehen Daten dorthin. Ein gestrichelter Ring heißt, ein Teil der Daten ging an Tracker; eine gestrichelte Linie heißt, der größte Teil.
home-trackers-title = Was ist ein Tracker?
home-trackers = Ein Tracker ist ein Dienst, der sammelt, was du tust, oft ohne dass du es merkst: welche Apps du öffnest, welche Seiten du liest, wo du bist, worauf du tippst. Dieselben wenigen Firmen stecken in Tausenden von Apps und Websites. So können sie einer Person von einer zur nächsten folgen und ein Profil erstellen, um Werbung zu verkaufen. Apps und Websites bauen sie für Werbung ein und um zu messen, wie sie genutzt werden.
home-categories-title = Die Arten von Diensten
home-counts-as-tracking = zählt als Tracking
home-limits-title = Was diese Box sehen kann und was nicht
home-limits-1 = Sie sieht die <strong>Namen</strong>, die ein Gerät nachschlägt (wie <code>bbc.co.uk</code>), und die <strong>Verbindungen</strong>, die es öffnet: zu welchem Computer, wann und wie viele Daten.
home-limits-2 = Sie sieht <strong>nicht</strong>, was darin steht: Nachrichten, Passwörter, Bilder und Seiten sind zwischen Gerät und Dienst verschlüsselt.
home-limits-3 = „kein DNS gesehen“ heißt: Ein Gerät hat sich verbunden, ohne den Namen vorher über diese Box nachzuschlagen. Es kannte die Adresse noch, die App hat die Adresse eingebaut, oder das Gerät nutzt verschlüsseltes DNS.
home-limits-4 = Länder und Städte sind dort, wo der antwortende Computer registriert ist oder steht, nachgeschlagen in einer Datenbank auf dieser Box. Große Firmen haben Computer in vielen Ländern; die Karte zeigt den, der geantwortet hat.
home-sources-title = Datenquellen
home-sources-intro = Alles wird auf dieser Box nachgeschlagen, aus diesen Quellen:
home-sources-error = Die Liste der Quellen konnte nicht gelesen werden: { $error }
home-sources-countries = Ländernamen
home-sources-countries-from = aus dem Paket i18n-iso-countries
home-sources-d3 = und topojson zum Zeichnen
home-sources-fluent = für die Übersetzungen

## Datenflüsse (Sankey)
sankey-title = Wohin die Daten fließen
sankey-lede = Von links nach rechts: jedes Gerät, die Websites und Dienste, die es nutzte, die Firmen dahinter und ihre Länder. Breitere Bänder tragen mehr.
sankey-metric-label = Die Bandbreite zeigt
sankey-metric-bytes = Daten
sankey-metric-connections = Verbindungen
sankey-legend-data = Daten
sankey-legend-tracker = Tracker oder Werbung
sankey-legend-other = „Andere …“ fasst die kleinen zusammen
sankey-chart-label = Flussdiagramm: Geräte, Websites, Firmen, Länder
sankey-empty = Für diese Zeit gibt es noch nichts zu zeigen. Öffne eine App oder Website auf einem Gerät in diesem WLAN, dann erscheint sie hier nach wenigen Sekunden.
sankey-noscript = Das Live-Diagramm braucht JavaScript. Ohne zeigt <a href="/me">Mein Gerät</a> die Verbindungen deines eigenen Geräts.
sankey-table-caption = Die größten Wege in Worten

## Weltkarte
map-title = Wo auf der Welt
map-lede = Linien von diesem WLAN zu jedem Ort, an den seine Geräte Daten schickten.
map-home-unset = Der Standort dieser Box ist nicht eingestellt, darum werden keine Linien von ihm aus gezeichnet.
map-noscript = Die Live-Karte braucht JavaScript. Ohne nennt <a href="/me">Mein Gerät</a> die Länder, mit denen dein Gerät sprach.
map-legend-home = dieses WLAN
map-legend-circle = Kreisgröße: wie viele Daten · Zahl darin: wie viele Geräte
map-legend-pulse = Ring: gerade aktiv
map-legend-ring = gestrichelter Ring: ein Teil der Daten ging an ⚠ Tracker
map-legend-dash = gestrichelte Linie: meist ⚠ Tracker
map-colours-label = Farben
map-table-caption = Die Orte in Worten
map-credits = Länderumrisse: Natural Earth (gemeinfrei).

## Beamer
presenter-join = 1. Mit dem WLAN verbinden
presenter-network = Netz
presenter-password = Passwort
presenter-no-wifi = Scanne den Code unten, nachdem du dich mit dem WLAN dieser Box verbunden hast. (Sein WLAN-QR-Code erscheint hier, sobald <code>wifi.ssid</code> in der Konfiguration gesetzt ist.)
presenter-open = Öffne
presenter-open-why = und sieh, wohin die Daten deines eigenen Geräts gehen
presenter-https = Verwaltung über HTTPS:
presenter-certificate = Zertifikat SHA-256
presenter-totals = Die ganze Gruppe in dieser Sitzung
presenter-companies = Firmen
presenter-countries = Länder
presenter-tracker-share = der Daten an ⚠ Tracker und Werbung
presenter-top-orgs = Die größten Firmen
presenter-per-device = Tracker pro Gerät

## Die Arten von Diensten
category-advertising = Werbung
category-advertising-explain = Firmen, die Werbung auswählen und zeigen. Um eine Anzeige für dich auszusuchen, sammeln sie, was du dir ansiehst, oft über viele Apps und Websites hinweg.
category-analytics = Tracking & Analyse
category-analytics-explain = Dienste, die messen, was du in einer App oder auf einer Website tust: welche Seiten du öffnest, wie lange du bleibst, worauf du tippst. Viele folgen dir von Seite zu Seite.
category-social = Soziale Medien
category-social-explain = Soziale Netzwerke und Messenger: Beiträge, Fotos, Chats und die Knöpfe und Anmeldungen, die sie in andere Apps einbauen.
category-video = Video & Unterhaltung
category-video-explain = Video, Musik, Spiele und Nachrichten: was du ansiehst, spielst, hörst oder liest.
category-cdn = Auslieferungsnetz
category-cdn-explain = Auslieferungsnetze und Hosting: große Rechenzentren, die Bilder, Videos und Programmcode für viele verschiedene Firmen speichern und ausliefern, nah bei dir, damit es schnell lädt.
category-platform = Plattformdienste
category-platform-explain = Alltägliche Dienste des Handys oder Computers und der großen Plattformen: Suche, Konten, E-Mail, Karten, App-Stores, Updates, Cloud-Speicher und Bezahlen.
category-other = Sonstiges
category-other-explain = Eine bekannte Firma, deren Dienst in keine der anderen Gruppen passt, zum Beispiel Chat-Hilfe oder Cookie-Banner.

## Die Arten von Warnungen
alert-kind-dns_tunnel = In DNS versteckte Daten
alert-kind-dns_tunnel-explain = Ein Gerät hat viele lange, zufällig wirkende oder immer neue Namen unter einer Domain nachgeschlagen. In solchen DNS-Abfragen können Daten versteckt hinausgeschmuggelt werden.
alert-kind-scan = Scannen
alert-kind-scan-explain = Ein Gerät (oder ein Rechner draußen) hat in kurzer Zeit viele Ports oder viele Rechner ausprobiert, so wie jemand, der einen Weg hinein sucht.
alert-kind-spoofing = Gefälschte Adresse
alert-kind-spoofing-explain = Ein Gerät hat eine Adresse beansprucht, die einem anderen Gerät oder dieser Box gehört: Es versucht vielleicht, den Verkehr der anderen mitzulesen.
alert-kind-upload = Großer Upload
alert-kind-upload-explain = Ein Gerät hat viel mehr Daten verschickt als sonst: Dateien, Fotos oder Aufnahmen verlassen es vielleicht.
alert-kind-deny_list = Gesperrtes Ziel
alert-kind-deny_list-explain = Eine Verbindung ging zu einem Land, einer Firma oder einem Namen auf der Sperrliste dieser Box (oder nicht auf seiner Erlaubt-Liste).
alert-kind-encrypted_dns = Verschlüsseltes DNS
alert-kind-encrypted_dns-explain = Ein Gerät hat Namen an dieser Box vorbei nachgeschlagen (verschlüsseltes DNS), darum können die Namen, die es besucht, hier nicht gezeigt werden.

## Table columns (more)
col-kind = Art
col-where = Wo
col-sent = Gesendet
col-received = Empfangen
col-connections = Verbindungen
col-minute = Minute
col-new-connections = Neue Verbindungen
col-lookups = Nachgeschlagene Namen

## My device (/me)
me-only-this = Diese Seite zeigt das Gerät, auf dem sie geöffnet wurde, und nur dieses.
me-address = Adresse
me-you-are = Du bist
me-for-session = in dieser Sitzung. Auf der großen Leinwand:
me-made-by = Hergestellt von { $vendor }.
me-private-mac = Es nutzt eine private (zufällige) WLAN-Adresse, deshalb ist sein Hersteller nicht bekannt.
me-hostname = Es nennt sich selbst „{ $name }“.
me-unknown = Von diesem Gerät ist noch nichts da. Öffne darauf eine App oder eine Website und komm zurück: Nach wenigen Sekunden erscheint es hier. (Diese Seite zeigt das Gerät, auf dem sie geöffnet ist; in einem anderen WLAN hat sie nichts zu zeigen.)
me-nickname-locked = Deine Lehrkraft hat den Spitznamen dieses Geräts gesperrt: Er kann in dieser Sitzung nicht geändert werden.
me-nickname-label = Spitzname (den alle auf der großen Leinwand sehen)
me-nickname-placeholder = z. B. Anas Handy
me-save = Speichern
me-privacy-on = Der Privatmodus ist an: Die anderen sehen dein Gerät nur unter „Andere Geräte“, nie mit Namen.
me-privacy-off = Alle in diesem WLAN sehen die Verbindungen dieses Geräts im Flussdiagramm und auf der Karte, unter diesem Namen (nie unter dem eigenen Namen oder der Adresse des Geräts). Dein Spitzname ersetzt ihn; eine neue Sitzung beginnt ohne ihn.
me-takehome = <a href="/me/takehome">Zusammenfassung zum Mitnehmen</a>: eine Seite zum Drucken oder als PDF, mit deinen Daten zum Herunterladen (CSV, JSON).
me-fig-sent = gesendet
me-fig-received = empfangen
me-fig-trackers = ⚠ Tracker
me-fig-companies = Firmen
me-fig-countries = Länder
me-alerts-title = Warnungen zu diesem Gerät
me-alerts-none = Nichts Ungewöhnliches von diesem Gerät gesehen.
me-alerts-what = Wonach die Detektoren suchen: <a href="/alerts#kinds-h">die Seite Warnungen</a>.
me-detectors-off = Die Detektoren sind auf dieser Box ausgeschaltet.
me-orgs-title = Firmen, mit denen es sprach
me-countries-title = Länder
me-timeline-title = Was es nachgeschlagen hat, das Neueste zuerst
me-timeline-note = Jeder Name, nach dem das Gerät dieses WLAN gefragt hat.
me-forget-title = Dieses Gerät vergessen
me-forget-confirm = Ja, die Verbindungen, Anfragen und den Spitznamen dieses Geräts von dieser Box löschen
me-forget-button = Mein Gerät vergessen
me-refused-title = Nicht gespeichert
me-back = Zurück zu deinem Gerät
me-not-changed = Nicht geändert: { $why }.
me-nickname-refused = Dieser Spitzname geht nicht: { $why }.
me-forget-unticked = Setze das Häkchen, um zu bestätigen, dass die Daten dieses Geräts gelöscht werden sollen.
me-forget-failed = Noch konnte nicht alles gelöscht werden: { $why }. Bitte versuch es noch einmal.
me-form-refused = Dieses Formular ließ sich nicht prüfen: { $why }. Lade die Seite neu und versuch es noch einmal.

## Take-home summary (/me/takehome)
th-back = ← Zurück zu deinem Gerät
th-download = Deine Daten herunterladen:
th-csv = CSV (Tabelle)
th-print = Um diese Seite auf Papier oder als PDF zu behalten, nutze „Drucken“ in deinem Browser.
th-title = Wohin meine Daten gingen
th-in-session = in dieser Sitzung
th-made = erstellt { $when }
th-fig-tracker-companies = Tracking-Firmen
th-companies-title = Firmen, mit denen mein Gerät sprach
th-no-connections = Von diesem Gerät wurden keine Verbindungen gesehen.
th-unknown-kind = Unbekannte Art
th-tracker = (Tracker)
th-countries-title = Länder, in die meine Daten gingen
th-no-country = Für die Verbindungen dieses Geräts ist kein Land bekannt.
th-trackers-title = Tracker und was sie tun
th-no-trackers = Von diesem Gerät wurde keine Werbe- oder Tracking-Firma gesehen.
th-minutes-title = Meine vollsten Minuten
th-no-traffic = Von diesem Gerät wurde kein Datenverkehr gesehen.
th-spread = Die Daten einer langen Verbindung sind gleichmäßig auf die Minuten verteilt, in denen sie offen war.
th-marks-title = Die Markierungen der Stunde
th-marks-note = Was die Klasse tun sollte, und wann.
th-note = Diese Zusammenfassung hat die whereflow-Box im Raum erstellt, aus dem, was sie während der Sitzung von diesem Gerät gesehen hat; dafür wurde nichts irgendwohin gesendet.
th-in-downloads = { $lookups ->
    [one] { $lookups } nachgeschlagener Name
   *[other] { $lookups } nachgeschlagene Namen
} und { $flows ->
    [one] { $flows } Verbindung sind
   *[other] { $flows } Verbindungen sind
} in den Downloads.
th-listed-kind = Werbung oder Tracking
th-listed-explain = Von den öffentlichen Sperrlisten (EasyList, EasyPrivacy) als Werbe- oder Tracking-Server geführt: Er sammelt, was du tust, oft über viele Apps und Websites hinweg.
th-not-yours-title = Nicht dein Gerät
th-not-yours = Das ist die Zusammenfassung eines anderen Geräts. Nur dieses Gerät selbst oder die auf der Admin-Seite angemeldete Lehrkraft kann sie öffnen.
th-bad-device-title = Keine Adresse
th-bad-device = Der Wert device= ist keine Adresse.

## Alerts (/alerts)
alerts-lede = Was die Detektoren dieser Box im Datenverkehr bemerkt haben: in DNS versteckte Daten, Scans, gefälschte Adressen, große Uploads, gelistete Ziele und verschlüsseltes DNS. Das Neueste zuerst.
alerts-lede-privacy = Der Privatmodus ist an: Du siehst nur die Warnungen deines eigenen Geräts.
alerts-kind = Art
alerts-all-kinds = Alle Arten
alerts-device = Gerät
alerts-all-devices = Alle Geräte
alerts-show = Zeigen
alerts-admin-can = Wer auf der <a href="/admin">Admin-Seite</a> angemeldet ist, kann eine Warnung für eine Stunde ignorieren.
alerts-off = Die Detektoren sind auf dieser Box ausgeschaltet (<code>detect.enabled = false</code> in ihrer Konfiguration), deshalb gibt es keine Warnungen.
alerts-kinds-title = Was die Arten bedeuten
alerts-privacy-notice = Der Privatmodus ist an: Diese Seite zeigt nur die Warnungen deines eigenen Geräts.
alerts-ignored-notice = Für 1 Stunde ignoriert: Warnungen dieser Art für dieses Gerät (und diese Domain) kommen bis dahin nicht wieder.
alerts-no-such-kind = Es gibt keine Art von Warnung namens „{ $kind }“: Alle Arten werden gezeigt.
alerts-no-such-device = „{ $device }“ ist keine Geräteadresse: Alle Geräte werden gezeigt.
alerts-not-ignored = Nicht ignoriert
alerts-back = Zurück zu den Warnungen
alerts-detectors-off = Die Detektoren sind ausgeschaltet (detect.enabled = false).

## Marks and the session's timeline (presenter, flows, map)
marks-title = Markierungen
unit-new-connections = neue Verbindungen
unit-lookups = nachgeschlagene Namen

## Admin page, before logging in
admin-off-title = Die Admin-Seiten sind ausgeschaltet
admin-off-1 = Es ist kein Admin-Passwort gesetzt. Um sie einzuschalten, öffne die Konfigurationsdatei (<code>whereflow-settings.toml</code> auf der Boot-Partition der SD-Karte; jeder Laptop kann sie bearbeiten) und füge hinzu:
admin-off-example = ein Passwort mit mindestens 8 Zeichen
admin-off-2 = Starte die Box dann neu. Beim ersten Start ersetzt whereflow das Passwort in der Datei durch einen Hash davon (<code>password_hash = "$argon2id$..."</code>), sodass die Datei es nicht mehr zeigt.
admin-login-title = Anmelden
admin-login-what = Hier startet, wer die Sitzung leitet, neue Sitzungen, sperrt Tracker, Werbung und Ziele, beendet Verbindungen, exportiert das Aufgezeichnete und legt fest, wie lange es aufbewahrt wird.
admin-plain-http = <strong>Diese Seite kam über einfaches HTTP.</strong> In einem WPA2-WLAN kann jeder, der das Passwort kennt, mitlesen, was andere senden, wenn er gesehen hat, wie sie sich verbunden haben – also auch das hier eingegebene Admin-Passwort.
admin-https-there = Melde dich stattdessen unter <a href="{ $url }">{ $url }</a> an (der Browser warnt einmal vor dem Zertifikat: Es stimmt, wenn sein SHA-256-Fingerabdruck <code>{ $fingerprint }</code> ist, wie auch in der Präsentationsansicht).
admin-https-none = Setze <code>web.https_listen</code>, um dich über HTTPS anzumelden, oder melde dich über ein Kabel oder an der Box selbst an.
admin-password = Admin-Passwort
admin-login-button = Anmelden
admin-login-empty = Gib das Admin-Passwort ein.
admin-login-wrong = Falsches Passwort.
admin-login-too-many-device = Zu viele falsche Passwörter von diesem Gerät: Versuch es in { $seconds } Sekunden wieder.
admin-login-too-many-all = Zu viele falsche Passwörter auf dieser Box: Versuch es in { $seconds } Sekunden wieder.
admin-login-busy = Eine Anmeldung von diesem Gerät wird gerade geprüft: Versuch es noch einmal.
admin-login-recovery = Als Admin ausgesperrt? Gib den einmaligen Wiederherstellungscode als Passwort ein: Er steht in whereflow-problems.txt auf der Boot-Partition der SD-Karte und im Konsolenprotokoll der Box.
admin-logged-out = Abgemeldet.
presenter-qr-wifi = QR-Code zum Verbinden mit dem WLAN { $ssid }
presenter-qr-open = QR-Code zum Öffnen von { $url }

## Boot problems file (whereflow-problems.txt, system/problems.rs and the problems setup finds)
problems-title = whereflow kann seine Einstellungsdatei ({ $file }) nicht verwenden.
problems-heading = Probleme:
problems-fallback = Bis sie behoben sind, betreibt die Box ein Einrichtungs-WLAN:
problems-ssid = Netzwerkname (SSID):
problems-passphrase = Passwort:
problems-fix =
    Wer damit verbunden ist, findet diese Probleme auch unter { $status }. Um sie
    zu beheben, stecke die SD-Karte in einen beliebigen Computer, öffne { $file } auf
    ihrer Boot-Partition in einem Texteditor, korrigiere die oben genannten Zeilen und
    starte die Box neu.
problem-missing = fehlt: lege sie als { $path } auf die Boot-Partition der SD-Karte (die Beispieldatei des Images listet jede Einstellung auf)
problem-unreadable = kann nicht gelesen werden: { $why }
problem-ssid-unset = nicht gesetzt: der Name des WLANs, mit dem sich alle verbinden (1 bis 32 Bytes)
problem-security-open = „open“ wird nicht angeboten: jeder in der Nähe könnte sich verbinden und den Datenverkehr aller mitlesen; verwende „auto“, „wpa2“, „wpa3“ oder „wpa2-wpa3“
problem-passphrase-unset = nicht gesetzt: wähle 8 bis 63 Zeichen (Buchstaben, Ziffern, Leerzeichen, Satzzeichen), die man zum Verbinden eingibt
problem-country-unset = nicht gesetzt: der zweibuchstabige Code des Landes, in dem die Box steht (z. B. DE, FR, GB, US); er bestimmt, welche Kanäle der Funk nutzen darf
problem-wpa3-unsupported = „wpa3“ braucht einen WLAN-Chip, der als Zugangspunkt SAE und geschützte Management-Frames beherrscht, und dieser kann das nicht: verwende „auto“ (WPA2/WPA3, wo der Chip es kann) oder „wpa2“
problem-radio-missing = es gibt keinen WLAN-Adapter { $name } (gefunden: { $found }): stecke den Adapter ein oder verwende „auto“
problem-radio-missing-none = es gibt keinen WLAN-Adapter { $name } und auch sonst keinen: stecke den Adapter ein oder verwende „auto“
problem-radio-no-ap = { radio-name } kann kein Zugangspunkt sein (sein Treiber bietet keinen AP-Modus): verwende einen anderen Adapter (siehe die Liste in der README) oder „auto“
problem-radio-none = kein WLAN-Adapter gefunden: ist der Adapter eingesteckt, und sind sein Treiber und seine Firmware im Image?
problem-radio-only-uplink = der einzige WLAN-Adapter ({ $radios }) ist der WLAN-Uplink: der Zugangspunkt braucht einen zweiten (einen USB-WLAN-Adapter, siehe README), oder verwende einen Ethernet- oder USB-Uplink
problem-radio-none-ap = kein WLAN-Adapter hier kann ein Zugangspunkt sein ({ $radios }): stecke einen Adapter ein, der es kann (siehe die Liste in der README)
problem-with-defaults = { $why } (mit den eigenen Voreinstellungen der Box ergänzt)

## Reasons from deeper down inside the refusal pages (web/reasons.rs)
reason-cross-site = die Anfrage kam von einer anderen Website
reason-form-cookie-missing = das Sicherheits-Cookie des Formulars fehlt
reason-form-token-mismatch = das Sicherheitszeichen des Formulars passt nicht
reason-admin-token = das Sicherheitszeichen fehlt oder ist falsch: Lade die Admin-Seite neu und versuche es noch einmal
reason-login-required = Dafür musst du als Admin angemeldet sein: Melde dich unter /admin an
reason-admin-off = Die Admin-Seiten sind aus: Setze admin.password in der Einstellungsdatei und starte die Box neu
login-required-title = Admin-Anmeldung nötig
login-go-admin = Zur Admin-Seite
not-found-title = Hier ist nichts
not-found-text = Diese Adresse gibt es auf dieser Box nicht. Prüfe die Schreibweise oder fang auf der Startseite neu an.
not-found-home = Zur Startseite
not-found-api = diese Adresse gibt es in dieser API nicht
reason-nickname-empty = der Spitzname ist leer
reason-nickname-too-long = der Spitzname ist länger als { $max } Zeichen
reason-nickname-control = der Spitzname enthält Steuerzeichen oder Textrichtungszeichen
reason-nickname-invisible = der Spitzname enthält ein unsichtbares Zeichen
reason-nickname-marks = der Spitzname stapelt zu viele Akzente auf einem Buchstaben
reason-nickname-not-text = der Spitzname ist kein gültiger Text (UTF-8)
reason-nickname-rude = bitte wähle einen freundlicheren Spitznamen
reason-nickname-locked = deine Lehrkraft hat den Spitznamen dieses Geräts für diese Sitzung gesperrt
reason-no-history = der Verlauf wird auf dieser Box nicht gespeichert (siehe /api/v1/status)
reason-busy = die Box ist gerade beschäftigt; versuche es gleich noch einmal

## Admin

adm-logged-in-until = Angemeldet bis { $time }.
adm-logout = Abmelden
adm-warnings = Warnungen
adm-wifi = WLAN
adm-wifi-radio = Funkmodul für den Raum
adm-wifi-ap = Zugangspunkt
adm-wifi-associated = Verbundene Geräte
adm-wifi-capacity = Es nimmt auf
adm-wifi-uplink = Internetanbindung
adm-wifi-portal = Internetprüfung
adm-wifi-joined = Wie jedes Gerät verbunden ist
adm-wifi-joined-what = WPA3 schützt den Verkehr eines Geräts auch vor anderen, die das Passwort kennen. Bei WPA2 kann jede Person, die das Passwort kennt und das Verbinden eines Geräts mitbekommen hat, dessen Verkehr mitlesen.
adm-col-device = Gerät
adm-col-wifi-security = Verbunden mit
adm-wifi-wpa3 = WPA3
adm-wifi-wpa2 = WPA2
adm-wifi-open = offen (unverschlüsselt)
adm-wifi-unknown = unbekannt
adm-login-wpa2 = Vorsicht: Dieses Gerät ist per WPA2 mit dem WLAN verbunden. Bei WPA2 kann jede Person, die das WLAN-Passwort kennt und das Verbinden dieses Geräts mitbekommen hat, mitlesen, was es sendet – auch das hier eingegebene Admin-Passwort. Melde dich von einem Gerät mit WPA3, über HTTPS oder per Kabel an.
adm-controls = Steuerung
adm-controls-off = Die Steuerung ist auf dieser Box ausgeschaltet (<code>[control] enabled = false</code> in der Konfigurationsdatei).
adm-nft-error = Sperren nach Adresse funktioniert gerade nicht: { $error }
adm-dns-title = Tracker und Werbung sperren
adm-dns-what = Solange das an ist, beantwortet die Box jede Namensabfrage für Werbung oder Tracking (die in den Ansichten rot markierten) mit einer Adresse, die ins Leere führt, sodass diese Verbindungen nicht mehr auftauchen. Ein Gerät behält schon abgefragte Namen noch einige Minuten, und bereits offene Verbindungen bleiben offen, bis sie enden.
adm-dns-on-all = Für alle an.
adm-dns-off-all = Für alle aus.
adm-dns-turn-off-all = Für alle ausschalten
adm-dns-turn-on-all = Für alle einschalten
adm-dns-on-for = An für diese Geräte:
adm-turn-off = Ausschalten
adm-dns-one-device = Nur ein Gerät (seine Adresse)
adm-dns-device-example = z. B. 10.42.0.23
adm-dns-turn-on-device = Für dieses Gerät einschalten
adm-dns-blocked-count = Seit dem Start der Box als gesperrt beantwortete Abfragen: { $count }.
adm-block-title = Ein Land, eine Organisation oder eine Adresse sperren
adm-block-what = Verbindungen zu einem gesperrten Ziel werden abgewiesen. Ein Land oder eine Organisation wird über die dafür gesehenen Adressen gesperrt: die jetzt in den Ansichten und jede neue, sobald sich ein Gerät damit verbindet (diese erste Verbindung wird kurz nach ihrem Beginn getrennt).
adm-col-kind = Art
adm-col-blocked = Gesperrt
adm-col-addresses-blocked = Gesperrte Adressen
adm-kind-country = Land
adm-kind-org = Organisation
adm-kind-ip = Adresse
adm-remove = Entfernen
adm-block = Sperren
adm-block-country = ein Land (Code aus zwei Buchstaben, z. B. NL)
adm-block-org = eine Organisation (wie in den Ansichten, z. B. Meta)
adm-block-ip = eine Adresse
adm-block-value = Ländercode, Organisation oder Adresse
adm-open-title = Offene Verbindungen
adm-open-none = Gerade sind keine Verbindungen offen.
adm-open-what = Eine Verbindung zu beenden trennt sie sofort; das Gerät kann eine neue öffnen.
adm-open-ended = Bisher beendet: { $count }.
adm-col-to = Ziel
adm-col-org = Organisation
adm-tracker = Tracker
adm-end = Beenden
adm-protocol = Protokoll { $number }
adm-projector = Beamer
adm-projector-what = Was die Gruppenansichten (Flussdiagramm, Karte, Präsentation, Geräteliste) zeigen. Ausgeblendete Geräte und Websites zählen weiter in den Summen, als „Ausgeblendete Geräte“ und „Ausgeblendete Website“. Die eigene Seite eines Geräts zeigt ihm immer alles. Jede Regel gilt für diese Sitzung; du kannst sie jederzeit rückgängig machen.
adm-names-are-off = Namen sind <strong>aus</strong>: Der Beamer zeigt nur Pseudonyme.
adm-names-on = Namen an
adm-names-are-on = Namen sind an: Spitznamen erscheinen auf dem Beamer.
adm-names-off = Namen aus (nur Pseudonyme)
adm-col-on-projector = Auf dem Beamer
adm-hide = Ausblenden
adm-clear-nickname = Spitznamen löschen
adm-lock-nickname = Spitznamen sperren
adm-hide-domain = eine Website (Domain, z. B. example.com)
adm-hide-nickname = einen Spitznamen (auf jedem Gerät)
adm-hide-device = ein Gerät (seine Adresse)
adm-hide-value = Domain, Spitzname oder Adresse
adm-rules = Geltende Regeln
adm-undo = Rückgängig
adm-rule-device = Gerät { $name }
adm-rule-device-gone = ein gerade nicht verbundenes Gerät
adm-rule-nickname = Spitzname „{ $name }“
adm-rule-website = Website { $name }
adm-rule-all = alle Namen (Namen aus)
adm-rule-hidden = Ausgeblendet: { $what }
adm-rule-cleared = Spitzname gelöscht: { $what }
adm-rule-locked = Spitzname gesperrt: { $what }
adm-sessions = Sitzungen
adm-no-history = Auf dieser Box wird kein Verlauf gespeichert, also gibt es keine Sitzungen zum Auflisten oder Exportieren (siehe die Warnungen auf <a href="/api/v1/status">der Statusseite</a>).
adm-sessions-what = Eine Sitzung ist eine Unterrichtsstunde oder ein Workshop: alles, was zwischen ihrem Beginn und dem der nächsten aufgezeichnet wurde. Exporte sind Dateien für Tabellenprogramme (CSV, eine Tabelle pro Datei) oder JSON mit allem. Gerätelisten nennen Geräte nach Adresse, Hostname und Spitzname; MAC-Adressen stehen nie darin.
adm-col-session = Sitzung
adm-col-started = Begonnen
adm-col-ended = Beendet
adm-col-export = Export und Wiedergabe
adm-current = aktuell
adm-session-unnamed = Sitzung vom { $started }
adm-export-report = Bericht pro Host (CSV)
adm-export-flows = Verbindungen (CSV)
adm-export-devices = Geräte (CSV)
adm-export-dns = DNS-Antworten (CSV)
adm-export-json = Alles (JSON)
adm-replay = Wiedergabe:
adm-replay-sankey = im Sankey-Diagramm
adm-replay-map = auf der Karte
adm-delete = Löschen
adm-new-session = Neue Sitzung beginnen
adm-new-session-what = Die Ansichten beginnen leer; noch offene Verbindungen laufen in der neuen Sitzung weiter.
adm-session-name = Name
adm-session-name-example = z. B. Klasse 7b, Dienstag
adm-current-session = Die aktuelle Sitzung
adm-keep-it = behalten (sie lässt sich später exportieren)
adm-delete-it = löschen
adm-keep-nicknames = Spitznamen der Geräte behalten (sonst beginnen alle mit neuem Pseudonym und ohne Spitznamen)
adm-start-session = Neue Sitzung beginnen
adm-settings = Einstellungen
adm-retention = Verlauf aufbewahren (Tage)
adm-max-db = Größte Datenbankgröße (MB)
adm-db-now = jetzt { $size }
adm-no-database = keine Datenbank
adm-default-old = Wenn eine neue Sitzung beginnt, standardmäßig
adm-keep-old = die alte behalten
adm-delete-old = die alte löschen
adm-save-settings = Einstellungen speichern
adm-config-file = Einstellungen werden in { $file } gespeichert.
adm-config-none = Es gibt keine Konfigurationsdatei: Hier geänderte Einstellungen gelten bis zum nächsten Neustart.
adm-backup = Sicherung
adm-backup-what = Eine Sicherung enthält die Einstellungen oben, die Spitznamen der Geräte (mit ihren MAC-Adressen: personenbezogene Daten, bewahre die Datei sicher auf), die DNS-Sperre und die Sperren, die geltenden Ausnahmen bei Warnungen und die Regeln für den Beamer. Admin-Passwort, Metrik-Token und WLAN-Passwort enthält sie nur, wenn du sie anforderst.
adm-backup-download = Sicherung herunterladen
adm-backup-download-secrets = Sicherung mit den Geheimnissen herunterladen
adm-restore-what = Sicherung wiederherstellen (erst komplett geprüft; nichts ändert sich, wenn ein Teil abgelehnt wird):
adm-restore-file = die Datei
adm-restore-paste = oder ihr Inhalt, eingefügt
adm-restore = Wiederherstellen
adm-done-started = Eine neue Sitzung hat begonnen.
adm-done-deleted = Die Sitzung wurde gelöscht.
adm-done-settings = Einstellungen gespeichert.
adm-done-settings-runtime = Einstellungen bis zum nächsten Neustart geändert (die Konfigurationsdatei konnte nicht geschrieben werden).
adm-done-dns-block = DNS-Sperre für Tracker und Werbung geändert.
adm-done-blocked = Gesperrt.
adm-done-unblocked = Die Sperre ist aufgehoben.
adm-done-killed = Die Verbindung wurde beendet.
adm-done-group-view = Die Regeln für den Beamer wurden geändert.
adm-done-group-view-undone = Rückgängig gemacht.
adm-refused = Abgelehnt: { $why }.
adm-incomplete-form = Das Formular war unvollständig: Nichts wurde geändert.
adm-failed = Das hat nicht geklappt: { $error }
adm-restored = Sicherung wiederhergestellt.
radio-name = { $bus ->
        [unknown] { $interface }
       *[other] { $interface } ({ $driver ->
            [none] kein Treiber
           *[other] { $driver }
        }, { $bus ->
            [usb] USB
            [sdio] eingebaut (SDIO)
            [pci] PCI
           *[other] virtueller oder unbekannter Bus
        })
    }
adm-wifi-chip = { $radio }, Chip { $chip }
adm-wifi-gone = { $radio }: weg (ausgesteckt oder Treiber gestoppt)
adm-ap-running = läuft (hostapd: ENABLED)
adm-ap-not-running = läuft nicht (hostapd: { $state })
adm-ap-silent = hostapd antwortet nicht
adm-assoc-auth = { $count } ({ $authorized } mit abgeschlossenem WPA-Handshake; laut hostapd)
adm-assoc = { $count } (laut hostapd)
adm-assoc-unknown = unbekannt (hostapd antwortet nicht)
adm-capacity = etwa { $stations } ({ $basis })
adm-capacity-unknown = für diesen Treiber unbekannt
adm-room-full = Voll: { $count } Geräte, etwa so viele, wie das Funkmodul aufnimmt ({ $stations }). Das nächste Gerät kommt vielleicht nicht mehr hinein; die Präsentation zeigt „Raum voll“. Ein USB-WLAN-Adapter nimmt mehr auf (siehe README).
adm-room-nearly = Fast voll: { $count } von etwa { $stations } Geräten ({ $percent } %).
adm-uplink-wifi = { $interface } verbindet sich mit dem WLAN „{ $ssid }“: { $state }
adm-uplink-joined = verbunden (wpa_supplicant: COMPLETED)
adm-uplink-joining = noch nicht verbunden (wpa_supplicant: { $state })
adm-uplink-silent = wpa_supplicant antwortet nicht
adm-uplink-cable = { $interface } (Kabel oder USB)
adm-portal-unchecked = noch nicht geprüft (oder uplink.probe_url ist leer)
adm-portal-open = das Internet antwortet
portal-answer = { $kind ->
        [redirect] eine Weiterleitung ({ $code }) nach { $to }
        [page] eine Seite ({ $code }) statt der leeren Antwort 204
       *[other] den Status { $code } statt 204
    }
adm-portal-captive = das Schulnetz verlangt eine Anmeldung (die Prüfung bekam { portal-answer }): Öffne auf einem Gerät in diesem WLAN irgendeine Webseite und melde dich dort an
adm-portal-unreachable = keine Antwort ({ $why })

## Status warnings
status-history-off = Der Verlauf wird nicht gespeichert (data.dir { $dir }): { $error }
status-history-failing = Der Verlauf wird nicht gespeichert: Die Datenbank lässt sich nicht schreiben ({ $error }). Die Box versucht es alle 2 s erneut; solange die Warteschlange voll ist, geht neuer Verlauf verloren (Zähler „history“). DNS und die Live-Ansichten laufen weiter.
status-export-unreachable = IPFIX-Collector { $url } nicht erreichbar ({ $error }); Flow-Datensätze für ihn werden verworfen, bis er antwortet.
status-wifi-monitor-off = Die WLAN-Überwachung konnte nicht starten: { $error }
status-wifi-radio-gone = Das WLAN-Funkmodul { radio-name } ist weg (abgezogen, oder sein Treiber läuft nicht mehr): Geräte können nicht ins WLAN, bis es wieder da ist. Stecke es wieder ein und starte die Box neu. Alles andere läuft weiter.
status-wifi-ap-stopped = Der Zugangspunkt auf { radio-name } läuft nicht (hostapd meldet den Zustand { $state }): Das Funkmodul lehnt vielleicht das Land (wifi.country) oder den Kanal ab; siehe /run/hostapd.log
status-wifi-ap-silent = hostapd antwortet nicht für { $interface } ({ $error }): Der Zugangspunkt läuft vielleicht nicht; siehe /run/hostapd.log
status-wifi-room-full = Der Raum ist voll: { $associated } Geräte auf { radio-name }, das etwa { $capacity } aufnimmt; ein weiteres Gerät kommt vielleicht nicht hinein (ein USB-WLAN-Adapter nimmt mehr auf, siehe README).
status-wifi-room-nearly = Der Raum ist fast voll: { $associated } Geräte auf { radio-name }, das etwa { $capacity } aufnimmt.
status-uplink-wrong-key = Das WLAN „{ $ssid }“ der Internetanbindung hat das Passwort abgelehnt: Prüfe uplink.wifi_passphrase in der Einstellungsdatei (der Zugangspunkt läuft weiter).
status-uplink-not-found = Das WLAN „{ $ssid }“ der Internetanbindung ist nicht in Reichweite (kein Zugangspunkt mit diesem Namen antwortet): Prüfe uplink.wifi_ssid oder stelle die Box näher heran.
status-uplink-conn-failed = Das WLAN „{ $ssid }“ der Internetanbindung hat die Box nicht hineingelassen (sein Zugangspunkt antwortete nicht mehr; mit WPA3 kann auch ein falsches uplink.wifi_passphrase so aussehen); neuer Versuch läuft.
status-uplink-disabled = Die Box konnte dem WLAN „{ $ssid }“ der Internetanbindung nicht beitreten ({ $reason }); neuer Versuch läuft.
status-uplink-disconnected = Die Box ist nicht mit dem WLAN „{ $ssid }“ der Internetanbindung verbunden; neuer Versuch läuft.
status-uplink-portal = Das Schulnetz verlangt eine Anmeldung: Die Internetanbindung { $uplink } erreicht eine Anmeldeseite, nicht das Internet (die Prüfung bekam { portal-answer }). Öffne auf einem Gerät in diesem WLAN irgendeine Webseite und melde dich dort an; das gilt für die ganze Box.
status-uplink-wpa-silent = wpa_supplicant antwortet nicht für die Internetanbindung { $uplink } ({ $error }): Die WLAN-Internetanbindung läuft nicht.
status-setup-problem = Einstellungsdatei (whereflow-settings.toml): { $problem }
status-setup-unreadable = Die Datei mit den Problemen der Einstellungen { $file } lässt sich nicht lesen: { $error }
status-setup-see-file = Die Einstellungen haben Probleme: siehe { $file }
status-setup-network = Das Einrichtungs-WLAN „{ $ssid }“ läuft, bis die Einstellungsdatei korrigiert ist.
# Die eigenen Warnungen der Stufen (Start- und Laufzeitprobleme). `error` sind die Worte des
# Systems oder eines anderen Programms: Die Admin-Seite zeigt sie unverändert, als Englisch markiert.
status-admin-off = Die Admin-Seiten sind aus: Das Passwort ließ sich nicht verschlüsseln ({ $error }).
status-admin-plain-kept = Das Admin-Passwort steht noch im Klartext in { $file } (admin.password): Es ließ sich nicht durch seinen Hash ersetzen ({ $error }). Ersetze die Zeile durch password_hash aus { $hash_file } oder mache die Datei beschreibbar.
status-admin-hash-bad = Die Admin-Seiten sind aus: Der gespeicherte Passwort-Hash in { $file } ist unbrauchbar ({ $error }).
status-admin-hash-unsaved = Der Hash des Admin-Passworts ließ sich nicht in { $file } speichern ({ $error }).
status-conntrack-disabled = Verbindungen werden nicht beobachtet (conntrack ist in der Konfiguration aus): nur Namen (DNS), keine Verbindungsflüsse.
status-conntrack-not-started = Verbindungen werden nicht beobachtet, also sind keine Verbindungsflüsse zu sehen: Der Verbindungsleser (conntrack) ist nicht gestartet ({ $error }).
status-devices-not-started = Geräte sind nur an ihrer Adresse erkennbar: Der Geräteleser ist nicht gestartet ({ $error }).
status-detect-neighbours-unreadable = Adresskonflikte im Netz werden nicht erkannt: Die Nachbartabelle lässt sich nicht lesen ({ $error }).
status-detect-arp-unreadable = Ein Gerät, das sich als Gateway ausgibt, wird nicht erkannt: ARP-Pakete lassen sich nicht lesen (braucht CAP_NET_RAW; { $error }).
status-detect-lan-thread = Die Netzüberwachung konnte nicht starten ({ $error }): Adresskonflikte werden nicht erkannt.
status-detect-nflog-unreadable = FIN-, Xmas- und Null-Scans werden nicht erkannt: Protokollierte ungültige Pakete lassen sich nicht lesen (detect.nflog_group; { $error }).
status-detect-nflog-thread = Die Überwachung ungültiger Pakete konnte nicht starten ({ $error }): FIN-, Xmas- und Null-Scans werden nicht erkannt.
status-controls-saved-unreadable = Die gespeicherten Sperren ließen sich nicht lesen, deshalb gilt gerade keine ({ $error }).
status-controls-table-left = Die Steuerung ist aus, aber die Firewall-Tabelle { $table } eines früheren Laufs ließ sich nicht entfernen: Ihre Sperren gelten weiter ({ $error }).
status-controls-not-enforced = Die { $count } gespeicherten Sperren gelten nicht: Die Firewall (nftables) hat sie abgelehnt ({ $error }).
status-controls-unsaved = Die Sperren ließen sich nicht speichern: Ein Neustart würde die letzten Änderungen verlieren ({ $error }).
status-dns-no-upstreams = Namen lassen sich nicht nachschlagen: Kein DNS-Server ist eingestellt (dns.upstreams) und keiner in /etc/resolv.conf brauchbar, also scheitert jeder Name, der nicht lokal ist.
status-dns-cert-refused = Der verschlüsselte DNS-Server { $upstream } wird nicht benutzt: Sein Zertifikat wurde abgelehnt ({ $error }). Er muss ein für { $name } gültiges Zertifikat einer vertrauenswürdigen Stelle zeigen; prüfe den Namen nach @ in dns.upstreams oder setze dns.tls_ca_file für eine eigene Stelle.
status-conntrack-dump-slow = Das Lesen der Verbindungstabelle dauerte länger als 30 s; neuer Versuch läuft.
status-conntrack-dump-request = Die Verbindungstabelle lässt sich nicht lesen ({ $error }); später neuer Versuch.
status-conntrack-dump-denied = Die Verbindungstabelle lässt sich nicht lesen: whereflow braucht CAP_NET_ADMIN ({ $error }).
status-conntrack-dump-failed = Das Lesen der Verbindungstabelle ist gescheitert ({ $error }); später neuer Versuch.
status-conntrack-full = { $max } Verbindungen werden verfolgt (conntrack.max_flows), so viele wie erlaubt: Neuere werden nicht gezeigt.
status-conntrack-skipped = Eine Verbindungsmeldung war unbrauchbar und wurde übersprungen ({ $error }); weitere werden nur gezählt.
status-conntrack-small-buffer = Der Puffer für neue Verbindungen fasst { $got } Bytes statt { $wanted } ({ $error }): Viele neue Verbindungen auf einmal können ihn überlaufen lassen und kosten dann ein komplettes Neulesen. Gib whereflow CAP_NET_ADMIN oder erhöhe net.core.rmem_max.
sysctl-without = { $knob ->
        [nf_conntrack_acct] fehlen die Byte- und Paketzähler
        [nf_conntrack_timestamp] beginnt eine Verbindung erst, wenn whereflow sie zum ersten Mal sieht, nicht wenn sie wirklich begann
       *[other] werden neue und beendete Verbindungen nur beim regelmäßigen Neulesen gefunden, und kurze fehlen
    }
status-sysctl-unreadable = { $file } lässt sich nicht lesen ({ $error }): Ist die Verbindungsverfolgung (nf_conntrack) geladen? Solange { $knob } aus ist, { sysctl-without }.
status-sysctl-was-off = { $key } war { $value } und ist jetzt 1; bei Verbindungen, die vorher begannen, { sysctl-without }.
status-sysctl-unset = { $knob } ist { $value } und ließ sich nicht einschalten ({ $error }): Deshalb { sysctl-without }. Setze { $key }=1 (braucht root).
status-sysctl-off = { $knob } ist { $value }: Deshalb { sysctl-without }. Setze { $key }=1.
status-history-over-cap = Der Verlauf ist über seiner Größengrenze (history.max_db_mb = { $max_mb }), obwohl nur noch die letzte Stunde der aktuellen Sitzung übrig ist: Erhöhe die Grenze oder beginne eine neue Sitzung.
status-domains-unusable = Die eingebauten Domainlisten sind unbrauchbar ({ $error }): Organisationen sind nur am Netz (AS) erkennbar.
status-geo-none = Keine Geo-Datenbank (enrich.geo_dbs, oder die mitgelieferte aus scripts/fetch-default-data.sh): Länder und Orte sind unbekannt.
status-asn-none = Keine Netz-Datenbank (AS) (enrich.asn_dbs, oder die mitgelieferte aus scripts/fetch-default-data.sh): Netze sind unbekannt.
status-db-directory = Die { $kind ->
        [as] Netz-Datenbank (AS)
       *[other] Geo-Datenbank
    } { $file } wird nicht benutzt: Sie ist ein Ordner, keine Datei.
status-db-unreadable = Die { $kind ->
        [as] Netz-Datenbank (AS)
       *[other] Geo-Datenbank
    } { $file } lässt sich nicht lesen ({ $error }).
status-db-invalid = Die { $kind ->
        [as] Netz-Datenbank (AS)
       *[other] Geo-Datenbank
    } { $file } wird nicht benutzt: Sie ist keine gültige MaxMind-DB-Datei ({ $error }).
status-db-wrong-kind = Die { $kind ->
        [as] Netz-Datenbank (AS)
       *[other] Geo-Datenbank
    } { $file } wird nicht benutzt: Sie enthält keine { $kind ->
        [as] Netznummern
       *[other] Länder oder Orte
    } (ihr Typ ist { $type }).
status-devices-neighbours-unreadable = Geräte sind nur aus den DHCP-Zuteilungen bekannt: Die Nachbartabelle lässt sich nicht lesen ({ $error }).
status-devices-leases-unreadable = Gerätenamen aus DHCP werden nicht gezeigt: Die Zuteilungsdatei { $file } lässt sich nicht lesen (devices.dnsmasq_leases; { $error }).
status-devices-leases-too-big = Die DHCP-Zuteilungsdatei { $file } wird ignoriert: Sie hat { $size } Bytes, mehr als die { $max }, die gelesen werden.
status-devices-no-interface = devices.interfaces nennt { $name }, aber diese Netzwerkschnittstelle gibt es nicht: Geräte darauf werden nicht gesehen.
status-devices-neighbours-failed = Das Lesen der Nachbartabelle ist gescheitert ({ $error }): Neue Geräte fehlen vielleicht eine Weile.
status-radio-no-ap = Der WLAN-Adapter { radio-name } kann kein Zugangspunkt sein (sein Treiber kennt keinen AP-Modus): nicht benutzt.
status-radio-usb-many = { $count } USB-WLAN-Adapter können Zugangspunkt sein ({ $radios }): Die Box nimmt { $radio }, den ersten nach Namen; wähle mit wifi.interface einen anderen.
status-fine-again = wieder in Ordnung
note-wifi = WLAN ({ $about })
note-radio = WLAN-Funkmodul
note-recovery = Admin-Wiederherstellungscode (als Passwort eingeben; gilt einmal)
note-https = Fingerabdruck des HTTPS-Zertifikats (SHA-256)
## Beschwerden über Formulare (das Gesendete ist unbrauchbar).
complaint-body = Das Formular ließ sich nicht lesen: { $error }
complaint-export-format = Das Format muss „csv“ oder „json“ sein, nicht { $value }.
complaint-export-report-part = Der Bericht ist der Teil „hosts“; lass „part“ weg.
complaint-export-part = Der Teil muss devices, flows, dns oder hosts sein, nicht { $value }.
complaint-not-a-number = { $key }: { $value } ist keine Zahl.
complaint-settings = Diese Einstellungen sind unbrauchbar: { $error }
complaint-scope-all-device = Gerät: nicht zusammen mit „alle“.
complaint-scope-device-needed = Gerät: Für ein einzelnes Gerät wird seine Adresse gebraucht.
complaint-scope = Bereich: { $value } ist weder „all“ noch „device“.
complaint-not-a-device = { $value } ist keine Geräteadresse.
complaint-block-kind = Art: { $value } ist keine von „country“, „org“, „ip“.
complaint-block-country = { $value } ist kein zweibuchstabiger Ländercode (ISO 3166, z. B. „NL“).
complaint-block-org-empty = Der Name der Organisation ist leer.
complaint-block-org-long = Höchstens { $max } Zeichen.
complaint-block-org-control = Bitte ohne Steuerzeichen.
complaint-block-ip = { $value } ist keine IP-Adresse.
complaint-block-ip-never = { $value } kann nicht gesperrt werden.
complaint-mark-empty = Eine Markierung braucht eine Beschriftung (z. B. „Öffnet jetzt eure Lieblings-App“).
complaint-mark-long = Die Beschriftung einer Markierung hat höchstens { $max } Zeichen; diese hat { $count }.
complaint-mark-control = Die Beschriftung einer Markierung ist eine Zeile Text, ohne Steuerzeichen.
complaint-mark-body = Die Anfrage muss JSON mit einem „label“ von höchstens { $max } Zeichen sein: { $error }
complaint-query = Die Parameter der Adresse ließen sich nicht lesen: { $error }
complaint-replay-window = Das Zeitfenster der Wiedergabe ist 1 bis { $max } Sekunden lang; dieses hat { $value }
complaint-replay-at = Der Zeitpunkt der Wiedergabe („at“) muss eine Zeit in Millisekunden seit 1970 sein
complaint-session-name-long = Name: höchstens { $max } Zeichen.
complaint-session-name-control = Name: bitte ohne Steuerzeichen.
restore-done = Sicherung wiederhergestellt: { $nicknames } Spitznamen, DNS-Sperre für alle { $dns_all ->
        [on] an
       *[off] aus
    }, DNS-Sperre für { $devices } Geräte, { $blocks } Sperren, { $ignores } ignorierte Warnungen, { $rules } Beamer-Regeln.
restore-done-settings = Sicherung wiederhergestellt: Einstellungen, { $nicknames } Spitznamen, DNS-Sperre für alle { $dns_all ->
        [on] an
       *[off] aus
    }, DNS-Sperre für { $devices } Geräte, { $blocks } Sperren, { $ignores } ignorierte Warnungen, { $rules } Beamer-Regeln.
restore-already = { $count } davon waren schon da.
restore-expired = { $count } Ignorier-Regeln waren abgelaufen und wurden ausgelassen.
restore-not-applied = Nicht übernommen: { $problems }.
restore-secrets-now = Jetzt in Kraft: { $secrets }.
restore-secret-admin-password = Admin-Passwort
restore-secret-metrics-token = Metrik-Token
restore-passphrase-at-restart = Das WLAN-Passwort ist gespeichert und gilt ab dem nächsten Start (es jetzt zu ändern, würde jedes Gerät im Raum aus dem WLAN werfen).
restore-secrets-not-applied = Nicht übernommene Geheimnisse: { $problems }.
restore-choose-file = Wähle eine Sicherungsdatei oder füge ihren Inhalt ein
restore-upload-unreadable = Die hochgeladene Datei ließ sich nicht lesen: { $error }
restore-not-text = Die gewählte Datei ist keine whereflow-Sicherung (kein Text)
fail-no-history = Auf dieser Box wird kein Verlauf gespeichert (siehe die Warnungen)
fail-busy-exports = Beschäftigt: Es laufen schon zwei Exporte; versuche es gleich noch einmal
fail-busy-shutdown = Beschäftigt: Die Exporte werden gerade beendet; versuche es gleich noch einmal
fail-busy-deleting = Beschäftigt: Die Datenbank löscht noch; versuche es gleich noch einmal
fail-no-such-session = Es gibt keine Sitzung { $id }
fail-current-session = Sitzung { $id } ist die laufende Sitzung: Starte zuerst eine neue Sitzung, dann kannst du sie löschen
fail-writer = Das Speichern in die Datenbank läuft nicht oder ist zu beschäftigt: { $error }
fail-too-many-marks = Diese Sitzung hat schon { $max } Markierungen, mehr behält eine Sitzung nicht
fail-keep-or-delete = Wähle, ob die alte Sitzung behalten oder gelöscht wird
fail-rule-duplicate = Diese Regel gilt schon (Regel { $id })
fail-rules-full = Höchstens { $max } Regeln pro Sitzung; nimm zuerst einige zurück
fail-no-such-rule = Es gibt keine Regel { $id }
fail-controls-off = Die Steuerung ist auf dieser Box ausgeschaltet (control.enabled = false)
fail-no-such-block = Es gibt keine Sperre { $id }
fail-no-such-flow = Es gibt keine Verbindung { $id } (vielleicht wurde sie vergessen)
fail-flow-closed = Verbindung { $id } ist schon beendet
fail-block-duplicate = { $value } ist schon gesperrt (Sperre { $id })
fail-blocks-full = Die Sperrlisten enthalten schon { $count } Adressen (control.max_blocked_addresses)
fail-nft = Sperren braucht nftables, und das ist fehlgeschlagen: { $error }
fail-kill-gone = Die Verbindung steht nicht mehr in der Verbindungstabelle des Kernels (sie ist beendet)
fail-kill-denied = Keine Erlaubnis, die Verbindungstabelle zu ändern (braucht CAP_NET_ADMIN): { $error }
fail-kill-refused = Der Kernel hat das Löschen der Verbindung abgelehnt: { $error }
fail-kill-io = Die Verbindungstabelle des Kernels antwortete nicht richtig: { $error }
fail-internal = In der Box ist etwas schiefgegangen: { $error }
fail-choose-on-off = Wähle an oder aus
