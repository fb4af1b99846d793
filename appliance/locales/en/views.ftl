# whereflow: the words the scripts write into the live views (English, the reference).
# The page hands this file of its language to the scripts (web-templates/src/lib/i18n.js),
# which format it with @fluent/bundle; numbers in { $n } get the language's separators.

## Counts
count-device = { $n ->
    [one] { $n } device
   *[other] { $n } devices
}
count-company = { $n ->
    [one] { $n } company
   *[other] { $n } companies
}
count-country = { $n ->
    [one] { $n } country
   *[other] { $n } countries
}
count-connection = { $n ->
    [one] { $n } connection
   *[other] { $n } connections
}
count-tracker = { $n ->
    [one] { $n } tracker
   *[other] { $n } trackers
}
count-place = { $n ->
    [one] { $n } place
   *[other] { $n } places
}
count-website = { $n ->
    [one] { $n } website or service
   *[other] { $n } websites and services
}
ago-seconds = { $n } s ago
ago-minutes = { $n } min ago
ago-hours = { $n } h ago
# A date and a time as the pages write them ($year, $month, $day: digits, the month and day
# with a leading zero; $time: "09:05" or "09:05:07").
date-time = { $year }-{ $month }-{ $day } { $time }

## The live status
live-live = Live
live-polling = Updating every few seconds
live-error = Cannot reach the appliance ({ $error }); trying again…
live-paused = Paused

## Names in the views
name-other = Other
other-device = { $n ->
    [one] { $n } other device
   *[other] { $n } other devices
}
other-domain = { $n ->
    [one] { $n } other website or service
   *[other] { $n } other websites and services
}
other-org = { $n ->
    [one] { $n } other company
   *[other] { $n } other companies
}
other-country = { $n ->
    [one] { $n } other country
   *[other] { $n } other countries
}
name-hidden-company = Hidden company
name-hidden-website = Hidden website
name-no-dns = no DNS seen
name-unknown-company = Unknown company
name-unknown-place = Unknown place
name-unknown = Unknown
name-you = { $name } (you)
all-devices = All devices ({ $n })
device-not-seen = { $id } (not seen now)

## Home
home-live = Right now: { $who } talked to { $orgs } in { $countries } in the last 5 minutes.
home-live-devices = The devices here
home-live-none = No device has sent anything in the last 5 minutes.

## Flows (sankey)
sankey-when-60 = in the last minute
sankey-when-300 = in the last 5 minutes
sankey-when-900 = in the last 15 minutes
sankey-when-session = this session
sankey-when-mark = since the mark
sankey-col-devices = Devices
sankey-col-domains = Websites & services
sankey-col-orgs = Companies
sankey-col-countries = Countries
sankey-link-tracker = (tracker or advertising)
sankey-node-tracker = tracker or advertising: { $value }
sankey-showing = Showing: { $what }. Connected to { $parts }. Tap it again or press Escape to show everything.
sankey-pointing = Pointing at: { $what }. Connected to { $parts }.
sankey-focus-hint = Point at or tap a device, website, company or country to follow its path.
sankey-none = No connections { $when }.
sankey-privacy-who = This device and the others (privacy mode)
sankey-summary = { $who } exchanged { $bytes } with { $orgs } in { $countries } { $when }. { $share } of it went to trackers and advertisers.
sankey-badge-tracker = ⚠ tracker

## World map
map-home-unset-long = This appliance's own location is not set, so no lines are drawn from it. Whoever runs it can set site.latitude and site.longitude in its configuration file.
map-home-title = This WiFi: the appliance you are connected to
map-you-are-here = You are here
map-you-are-here-named = You are here ({ $name })
map-unknown-country = unknown country
map-place-words = { $where }: { $bytes } from { $devices }, mostly { $kind }
map-place-trackers = ; { $share } to trackers
map-place-active = ; active now
map-summary = Data went to { $places } in { $countries }.
map-summary-active = Data went to { $places } in { $countries }; { $active } active right now (pulsing).
map-none = No connections in this time window yet.
map-not-on-map = (not on the map)

## Marks and the session's timeline (presenter, sankey, map)
sankey-when-replay = in the 5 minutes before this moment of the replay
marks-none = No mark yet.
marks-none-since = No mark yet: showing the whole session.
marks-latest = Latest mark: “{ $label }” at { $time }.
marks-since = Showing only what happened since the mark: “{ $label }” at { $time }.
marks-form-label = Mark this moment
marks-form-placeholder = Now open your favourite app
marks-form-button = Mark now
marks-bad-label = A mark needs a label of 1 to { $max } characters (this one has { $n }).
marks-not-set = The mark was not set: { $why }
timeline-other = Other companies
timeline-unknown = Unknown company
timeline-hidden = Hidden by the teacher
marks-timeline = Data per minute per company this session, with the marks

## Replay of a stored session (admin)
replay-title = Replay of session { $id }
replay-lede = Play, pause or drag the slider: the view shows what was happening at that moment of the session.
replay-back = Back to the live view
replay-play = Play
replay-pause = Pause
replay-scrub = Time in the session
replay-loading = Loading the session…
replay-position = { $time } ({ $elapsed } of { $total })
replay-gone = Session { $id } is not stored any more: it was deleted, or never existed. Pick another one on the admin page.
replay-denied = Only the admin can replay a session: log in on the admin page first.
replay-failed = The replay could not be read: { $why }
replay-noscript = The replay needs JavaScript.

## Presenter
presenter-devices-private = devices (not counted: privacy mode)
presenter-devices = devices
presenter-nothing-yet = Nothing yet: open an app or a website on a phone connected to this WiFi.
presenter-no-trackers = no trackers
presenter-no-devices = No devices yet.
presenter-fullscreen = Full screen
presenter-leave-fullscreen = Leave full screen
presenter-sound-on = Alert sound: on
presenter-sound-off = Alert sound: off
presenter-sound-unavailable = Alert sound: not available
presenter-since-mark-on = Since the mark: on
presenter-since-mark-off = Since the mark: off
# The room's WiFi (the appliance's access point) and the uplink, from /api/v1/status.
presenter-room-full = Room full: { $associated } devices are on this WiFi, about as many as it admits. Another device may not get on; it will when one leaves.
presenter-room-nearly = Nearly full: { $associated } of about { $capacity } devices are on this WiFi.
presenter-uplink-login = The school network wants a login: this box cannot reach the internet until someone logs in. Open any web page on a device joined to this WiFi and log in there.

## My device (live)
me-no-connections = No connections yet.
me-no-lookups = No names looked up yet.
me-unknown-kind = Unknown kind
badge-tracker = tracker
badge-blocked = blocked
unit-sent = sent
unit-received = received
unit-connections = connections

## Alerts (server and live)
alert-outside-host = An outside host
alert-other-side = Other side:
alert-first-seen = First seen
alert-last-seen = last seen
alert-count = { $n ->
    [one] once
   *[other] { $n } times
}
alert-ignored-until = Ignored until { $time }
alert-ignore = Ignore for 1 hour
alerts-none = No alerts
alerts-newest = The newest { $shown } of { $total } alerts
alerts-count = { $n ->
    [one] { $n } alert
   *[other] { $n } alerts
}
alerts-no-match = No alerts match this filter.
alerts-nothing = Nothing unusual so far.
alerts-login-ended = Your admin login has ended: log in again on the admin page.
alerts-gone = This alert is no longer kept.
alerts-not-ignored-status = Not ignored ({ $status }).
alerts-unreachable = Cannot reach the appliance ({ $error }).

alerts-refused = Refused: reload this page and try again.

## Devices without a name
device-numbered = Device { $n }
device-address = Device { $tail }

## What the detectors saw (each alert's sentence; arguments are data: addresses, names, numbers)
alert-msg-encrypted-dns-dot = { $device } opened an encrypted DNS connection ({ $how }, port 853) to { $to }. Its lookups go around this appliance, so the names it visits are not shown.
alert-msg-encrypted-dns-doh = { $device } connected to { $to }, a public DNS-over-HTTPS resolver. Its lookups go around this appliance, encrypted, so the names it visits are not shown.
alert-msg-encrypted-dns-no-dns = { $device } looks names up through this appliance, yet within { $minutes } minutes it opened connections to { $n } addresses it never looked up here (the latest: { $latest }). It may resolve names another way (encrypted DNS built into an app or browser), or use addresses written into an app.
alert-msg-upload-sudden = { $device } sent { $bytes } to { $to } within { $seconds } seconds: much more than it received. Files, photos or recordings may be leaving the device.
alert-msg-upload-sustained = { $device } has been sending data to { $to } for { $seconds } seconds without a break ({ $bytes } in the last { $window } seconds). Something on the device keeps sending: a backup, a call, a camera — or data leaving without anyone noticing.
alert-msg-deny-list = { $device } connected to { $to }, a destination on the deny list "{ $list }".
alert-msg-allow-countries = { $device } connected to { $to }: the country { $country } is not on the allow list.
alert-msg-allow-orgs = { $device } connected to { $to }: the organization { $org } is not on the allow list.
alert-msg-allow-domains = { $device } connected to { $to }: the domain is not on the allow list.
alert-msg-dns-tunnel-long = { $device } looked up { $n } unusually long, random-looking names under { $zone } within a minute (the longest has { $longest } characters). Data can be smuggled out hidden in DNS lookups like these (DNS tunnelling).
alert-msg-dns-tunnel-unique = { $device } looked up { $n } different names under { $zone } within a minute. Hiding data in ever-new names is how DNS tunnelling works.
alert-msg-dns-tunnel-txt = { $device } asked for { $n } TXT records under { $zone } within a minute. TXT answers can carry data back in (DNS tunnelling); ordinary browsing needs few.
alert-msg-scan-ports = { $outside ->
        [yes] An outside host, { $who },
       *[no] { $who }
    } tried { $ports } different ports on { $target } within { $seconds } seconds ({ $how ->
        [connection] connection attempts (a SYN or connect scan)
       *[probes] { $probes } probes
    }): a port scan looks for services to break into.
alert-msg-scan-hosts = { $outside ->
        [yes] An outside host, { $who },
       *[no] { $who }
    } { $icmp ->
        [yes] pinged
       *[no] tried port { $port } on
    } { $hosts } different hosts of { $network } within { $seconds } seconds ({ $how ->
        [connection] connection attempts (a SYN or connect scan)
       *[probes] { $probes } probes
    }): a sweep looks for machines to attack.
alert-msg-scan-odd = { $outside ->
        [yes] An outside host, { $who },
       *[no] { $who }
    } sent { $n } { $probes } probes to { $target } within { $seconds } seconds: packets with flag combinations no normal connection uses, made to sneak a port scan past firewalls.
alert-msg-spoofing-gateway = { $known ->
        [yes] The device at { $who }
       *[no] A device the appliance does not know yet
    } claims the address of the gateway, { $gateway }, on the local network. Devices that believe it send it their traffic instead of the appliance: someone may be trying to read or change other people's traffic (ARP spoofing).
alert-msg-spoofing-conflict = Two devices claim the address { $address }: another network card{ $other ->
        [yes] {" "}(the device at { $device })
       *[no] {""}
    } took it over { $seconds } seconds after the first was last seen with it. Either two devices were given the same address, or one is pretending to be the other to receive its traffic (ARP spoofing).

## Device names the appliance makes up (the server and the scripts say them)
device-name-vendor = { $vendor } device
device-name-address = Device { $tail }
device-name-plain = Device
device-name-hidden = Hidden device
device-name-others = Other devices
device-name-hidden-many = Hidden devices

## Pseudonyms ("Blue Otter"): a colour and an animal, said in the reader's language.
# The code says animal-<id> and its .gender, then colour-<id> with that $gender, then
# pseudonym with both (the language's order and agreement live here, not in the code).
# Every colour and every animal must stay distinct from the others: two devices never share
# a pseudonym in any language.
pseudonym = { $colour } { $animal }
pseudonym-numbered = { $colour } { $animal } { $round }
animal-otter = Otter
    .gender = none
animal-fox = Fox
    .gender = none
animal-panda = Panda
    .gender = none
animal-koala = Koala
    .gender = none
animal-tiger = Tiger
    .gender = none
animal-lion = Lion
    .gender = none
animal-rabbit = Rabbit
    .gender = none
animal-owl = Owl
    .gender = none
animal-penguin = Penguin
    .gender = none
animal-dolphin = Dolphin
    .gender = none
animal-whale = Whale
    .gender = none
animal-turtle = Turtle
    .gender = none
animal-frog = Frog
    .gender = none
animal-bee = Bee
    .gender = none
animal-butterfly = Butterfly
    .gender = none
animal-octopus = Octopus
    .gender = none
animal-hedgehog = Hedgehog
    .gender = none
animal-hamster = Hamster
    .gender = none
animal-deer = Deer
    .gender = none
animal-zebra = Zebra
    .gender = none
animal-giraffe = Giraffe
    .gender = none
animal-elephant = Elephant
    .gender = none
animal-camel = Camel
    .gender = none
animal-kangaroo = Kangaroo
    .gender = none
animal-parrot = Parrot
    .gender = none
animal-flamingo = Flamingo
    .gender = none
animal-swan = Swan
    .gender = none
animal-duck = Duck
    .gender = none
animal-seal = Seal
    .gender = none
animal-beaver = Beaver
    .gender = none
animal-llama = Llama
    .gender = none
animal-badger = Badger
    .gender = none
colour-red = Red
colour-orange = Orange
colour-gold = Gold
colour-green = Green
colour-blue = Blue
colour-purple = Purple
colour-pink = Pink
colour-silver = Silver
colour-teal = Teal
colour-coral = Coral
colour-violet = Violet
colour-mint = Mint
colour-amber = Amber
colour-lime = Lime
colour-navy = Navy
colour-ruby = Ruby
