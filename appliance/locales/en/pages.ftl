# whereflow: the server-rendered pages (English, the reference catalogue: every other
# language has exactly these keys, a unit test checks).
# Messages with markup (<strong>, <a>) are inserted as HTML: keep the tags as they are.

## Numbers (the server's formatter; the scripts use Intl.NumberFormat)
number-decimal = .
number-group = ,

## The layout
language-label = Language
skip-to-content = Skip to the content
nav-label = Views
nav-home = Home
nav-flows = Flows
nav-map = Map
nav-alerts = Alerts
nav-me = My device
nav-presenter = Presenter
footer-local = Everything on these pages comes from this appliance; nothing is loaded from the internet.
footer-outlines = map outlines from Natural Earth
footer-sources = all data sources

## Page titles
title-home = Where does your data go?
title-sankey = Flows: device to country
title-map = World map
title-presenter = Presenter
title-me = My device
title-alerts = Alerts
title-admin = Admin
title-takehome = Take-home summary

## Shared words
how-to-read = How to read it
window-label = Time window
window-1 = 1 min
window-5 = 5 min
window-15 = 15 min
window-session = Session
window-mark = Since the mark
filter-device = Device
filter-all-devices = All devices
legend-label = Legend
waiting-for-data = Waiting for data…
col-device = Device
col-service = Website or service
col-company = Company
col-country = Country
col-data = Data
col-tracker = Tracker
col-place = Place
col-devices = Devices
col-mostly = Mostly
col-companies = Companies
col-trackers = Trackers

## Home
home-title = Where does your data go?
home-lede = Every phone, tablet and laptop on this WiFi keeps talking to computers around the world, even when nobody touches it. This box is the WiFi they are connected to, so it can see <strong>who each device talks to</strong> and <strong>how much</strong>, and it shows it here, live.
home-card-flows = From each device to the websites and services it uses, the companies behind them and the countries they are in.
home-card-map-title = World map
home-card-map = Lines from here to every city and country the data went to.
home-card-me = Only your own device: what it looked up, who it talked to, how many trackers.
home-card-presenter = For a projector: how to join, and the whole group's figures in large type.
home-read-title = How to read the flow diagram
home-read-1 = Read it from <strong>left to right</strong>: devices, then the websites and services they used, then the company that runs each one, then the country where the computer that answered stands.
home-read-2 = Each coloured band is data travelling along that path. <strong>The wider the band, the more data</strong> (or, if you switch to "Connections", the more separate connections).
home-read-3 = Bands with <span class="badge tracker">orange stripes</span> and names marked with <strong>⚠</strong> go to trackers or advertisers.
home-read-4 = Small things are grouped into one box called "Other …" so the picture stays readable. The table under the diagram lists the biggest paths in words.
home-read-5 = Point at, tap or tab to a box to follow only its paths. Tap it again (or press Escape) to see everything.
home-read-6 = The buttons choose the time: the last 1, 5 or 15 minutes, or the whole session.
home-map-title = How to read the map
home-map = The house is this WiFi. Each circle is a place that received data: the bigger the circle, the more data. The number inside is <strong>how many devices</strong> sent data there. Its colour and the word next to it say what kind of service most of it was. A ring that pulses means data is going there <strong>right now</strong>. A dashed ring means some of the data went to trackers; a dashed line means most of it did.
home-trackers-title = What is a tracker?
home-trackers = A tracker is a service that collects what you do, often without you seeing it: which apps you open, which pages you read, where you are, what you tap. The same few companies are built into thousands of apps and websites, so they can follow one person from one to the next and build a profile to sell advertising. Apps and websites include them for advertising and for measuring how they are used.
home-categories-title = The kinds of services
home-counts-as-tracking = counts as tracking
home-limits-title = What this box can and cannot see
home-limits-1 = It sees <strong>names</strong> a device looks up (like <code>bbc.co.uk</code>) and the <strong>connections</strong> it opens: to which computer, when, and how much data.
home-limits-2 = It does <strong>not</strong> see what is inside: messages, passwords, pictures and pages are encrypted between the device and the service.
home-limits-3 = "no DNS seen" means a device connected without looking the name up through this box first: it remembered the address from before, the app has the address built in, or the device uses encrypted DNS.
home-limits-4 = Countries and cities are where the answering computer is registered or stands, looked up in a database on this box. Big companies have computers in many countries; the map shows the one that answered.
home-sources-title = Data sources
home-sources-intro = Everything is looked up on this box, from these sources:
home-sources-error = The list of sources could not be read: { $error }
home-sources-countries = Country names
home-sources-countries-from = from the i18n-iso-countries package
home-sources-d3 = and topojson for drawing
home-sources-fluent = for the translations

## Flows (sankey)
sankey-title = Where the data flows
sankey-lede = Left to right: each device, the websites and services it used, the companies behind them, and their countries. Wider bands carry more.
sankey-metric-label = Band width shows
sankey-metric-bytes = Data
sankey-metric-connections = Connections
sankey-legend-data = data
sankey-legend-tracker = tracker or advertising
sankey-legend-other = "Other …" groups the small ones
sankey-chart-label = Flow diagram: devices, websites, companies, countries
sankey-empty = Nothing to show for this time yet. Open an app or a website on a device connected to this WiFi, and it appears here within a few seconds.
sankey-noscript = The live diagram needs JavaScript. Without it, <a href="/me">My device</a> shows your own device's connections.
sankey-table-caption = The biggest paths, in words

## World map
map-title = Where in the world
map-lede = Lines from this WiFi to every place its devices sent data to.
map-home-unset = This appliance's own location is not set, so no lines are drawn from it.
map-noscript = The live map needs JavaScript. Without it, <a href="/me">My device</a> lists the countries your device talked to.
map-legend-home = this WiFi
map-legend-circle = circle size: how much data · number inside: how many devices
map-legend-pulse = ring: active right now
map-legend-ring = dashed ring: some data went to ⚠ trackers
map-legend-dash = dashed line: mostly ⚠ trackers
map-colours-label = Colours
map-table-caption = The places, in words
map-credits = Country outlines: Natural Earth (public domain).

## Presenter
presenter-join = 1. Join the WiFi
presenter-network = Network
presenter-password = Password
presenter-no-wifi = Scan the code below after joining this appliance's WiFi. (Its WiFi QR code appears here once <code>wifi.ssid</code> is set in the configuration.)
presenter-open = Open
presenter-open-why = to see where your own device's data goes
presenter-https = Admin login over HTTPS:
presenter-certificate = certificate SHA-256
presenter-totals = The whole group, this session
presenter-companies = companies
presenter-countries = countries
presenter-tracker-share = of the data to ⚠ trackers and ads
presenter-top-orgs = Top companies
presenter-per-device = Trackers per device

## The kinds of services (legends, badges, the home page's explanations)
category-advertising = Advertising
category-advertising-explain = Companies that choose and show ads. To pick an ad for you they collect what you look at, often across many apps and websites.
category-analytics = Tracking & analytics
category-analytics-explain = Services that measure what you do in an app or on a website: which pages you open, how long you stay, what you tap. Many of them follow you from site to site.
category-social = Social media
category-social-explain = Social networks and messaging apps: posts, photos, chats and the buttons and logins they put into other apps.
category-video = Video & entertainment
category-video-explain = Video, music, games and news: the things you watch, play, listen to or read.
category-cdn = Delivery network
category-cdn-explain = Delivery networks and hosting: big computer centres that store and hand out pictures, videos and code for many different companies, close to you so it loads fast.
category-platform = Platform services
category-platform-explain = Everyday services of the phone or computer and the big platforms: search, accounts, mail, maps, app stores, updates, cloud storage and payments.
category-other = Other
category-other-explain = A known company whose service fits none of the other groups, for example chat help or cookie banners.

## The kinds of alerts
alert-kind-dns_tunnel = Data hidden in DNS
alert-kind-dns_tunnel-explain = A device looked up many long, random-looking or ever-new names under one domain. Data can be smuggled out hidden in DNS look-ups like these.
alert-kind-scan = Scanning
alert-kind-scan-explain = A device (or a host outside) tried many ports or many hosts in a short time, as someone looking for a way in does.
alert-kind-spoofing = Address spoofing
alert-kind-spoofing-explain = A device claimed an address that belongs to another device or to this appliance: it may be trying to read the others' traffic.
alert-kind-upload = Large upload
alert-kind-upload-explain = A device sent much more data out than usual: files, photos or recordings may be leaving it.
alert-kind-deny_list = Listed destination
alert-kind-deny_list-explain = A connection went to a country, company or name on this appliance's deny list (or not on its allow list).
alert-kind-encrypted_dns = Encrypted DNS
alert-kind-encrypted_dns-explain = A device looked names up around this appliance (encrypted DNS), so the names it visits cannot be shown here.

## Table columns (more)
col-kind = Kind
col-where = Where
col-sent = Sent
col-received = Received
col-connections = Connections
col-minute = Minute
col-new-connections = New connections
col-lookups = Names looked up

## My device (/me)
me-only-this = This page shows the device that opened it, and only that device.
me-address = address
me-you-are = You are
me-for-session = for this session. On the big screen:
me-made-by = Made by { $vendor }.
me-private-mac = It uses a private (randomised) WiFi address, so its maker is not known.
me-hostname = It calls itself “{ $name }”.
me-unknown = Nothing from this device yet. Open an app or a website on it and come back: it shows up here within a few seconds. (This page shows the device it is opened on; on another WiFi it has nothing to show.)
me-nickname-locked = Your teacher has locked the nickname of this device: it cannot be changed this session.
me-nickname-label = Nickname (what everyone sees on the big screen)
me-nickname-placeholder = e.g. Ana's phone
me-save = Save
me-privacy-on = Privacy mode is on: the others see your device only inside “Other devices”, never by name.
me-privacy-off = Everyone on this WiFi can see this device's connections in the flow diagram and on the map, under that name (never the device's own name or address). Your nickname replaces it; a new session starts without it.
me-takehome = <a href="/me/takehome">Take-home summary</a>: a page to print or save as a PDF, with your data to download (CSV, JSON).
me-fig-sent = sent
me-fig-received = received
me-fig-trackers = ⚠ trackers
me-fig-companies = companies
me-fig-countries = countries
me-alerts-title = Alerts about this device
me-alerts-none = Nothing unusual seen from this device.
me-alerts-what = What the detectors look for: <a href="/alerts#kinds-h">the alerts page</a>.
me-detectors-off = The detectors are off on this appliance.
me-orgs-title = Companies it talked to
me-countries-title = Countries
me-timeline-title = What it looked up, newest first
me-timeline-note = Every name the device asked this WiFi for.
me-forget-title = Forget this device
me-forget-confirm = Yes, delete this device's connections, look-ups and nickname from this appliance
me-forget-button = Forget my device
me-refused-title = Not saved
me-back = Back to your device
me-not-changed = Not changed: { $why }.
me-nickname-refused = That nickname cannot be used: { $why }.
me-forget-unticked = Tick the box to confirm that this device's data should be deleted.
me-forget-failed = Not everything could be deleted yet: { $why }. Please try again.
me-form-refused = This form could not be checked: { $why }. Reload the page and try again.

## Take-home summary (/me/takehome)
th-back = ← Back to your device
th-download = Download your data:
th-csv = CSV (spreadsheet)
th-print = To keep this page on paper or as a PDF, use your browser's “Print”.
th-title = Where my data went
th-in-session = in this session
th-made = made { $when }
th-fig-tracker-companies = tracker companies
th-companies-title = Companies my device talked to
th-no-connections = No connections were seen from this device.
th-unknown-kind = Unknown kind
th-tracker = (tracker)
th-countries-title = Countries my data went to
th-no-country = No country is known for this device's connections.
th-trackers-title = Trackers, and what they do
th-no-trackers = No ad or tracking company was seen from this device.
th-minutes-title = My busiest minutes
th-no-traffic = No traffic was seen from this device.
th-spread = A long connection's data is spread evenly over the minutes it was open.
th-marks-title = The marks of the lesson
th-marks-note = What the class was asked to do, and when.
th-note = This summary was made by the whereflow appliance in the room, from what it saw of this device during the session; nothing was sent anywhere to make it.
th-in-downloads = { $lookups ->
    [one] { $lookups } name looked up
   *[other] { $lookups } names looked up
} and { $flows ->
    [one] { $flows } connection is
   *[other] { $flows } connections are
} in the downloads.
th-listed-kind = Ads or tracking
th-listed-explain = Listed as an ad or tracking server by the public block lists (EasyList, EasyPrivacy): it collects what you do, often across many apps and websites.
th-not-yours-title = Not your device
th-not-yours = This is another device's take-home summary. Only that device itself, or the teacher logged in on the admin page, can open it.
th-bad-device-title = Not an address
th-bad-device = The device= value is not an address.

## Alerts (/alerts)
alerts-lede = What this appliance's detectors noticed in the traffic: data hidden in DNS, scanning, address spoofing, large uploads, listed destinations and encrypted DNS. Newest first.
alerts-lede-privacy = Privacy mode is on: you see your own device's alerts only.
alerts-kind = Kind
alerts-all-kinds = All kinds
alerts-device = Device
alerts-all-devices = All devices
alerts-show = Show
alerts-admin-can = An admin can ignore an alert for an hour after logging in on the <a href="/admin">admin page</a>.
alerts-off = The detectors are off on this appliance (<code>detect.enabled = false</code> in its configuration), so there are no alerts.
alerts-kinds-title = What the kinds mean
alerts-privacy-notice = Privacy mode is on: this page shows only your own device's alerts.
alerts-ignored-notice = Ignored for 1 hour: alerts of that kind for that device (and domain) are not raised again until then.
alerts-no-such-kind = There is no kind of alert called “{ $kind }”: showing all kinds.
alerts-no-such-device = “{ $device }” is not a device address: showing all devices.
alerts-not-ignored = Not ignored
alerts-back = Back to the alerts
alerts-detectors-off = The detectors are off (detect.enabled = false).

## Marks and the session's timeline (presenter, flows, map)
marks-title = Marks
unit-new-connections = new connections
unit-lookups = names looked up

## Admin page, before logging in
admin-off-title = The admin pages are off
admin-off-1 = No admin password is set. To turn them on, open the configuration file (<code>whereflow-settings.toml</code> on the SD card's boot partition; any laptop can edit it) and add:
admin-off-example = a password of at least 8 characters
admin-off-2 = Then restart the appliance. At its first start whereflow replaces the password in the file by a hash of it (<code>password_hash = "$argon2id$..."</code>), so the file no longer shows it.
admin-login-title = Log in
admin-login-what = Here the person running the session starts new sessions, blocks trackers, ads and destinations, ends connections, exports what was recorded and sets how long it is kept.
admin-plain-http = <strong>This page came over plain HTTP.</strong> On a WPA2 WiFi everyone who knows the passphrase can read what others send if they saw them join, so the admin password typed here could be read too.
admin-https-there = Log in at <a href="{ $url }">{ $url }</a> instead (the browser warns about the certificate once: it is right if its SHA-256 fingerprint is <code>{ $fingerprint }</code>, also on the presenter view).
admin-https-none = Set <code>web.https_listen</code> to log in over HTTPS, or log in on a wired connection or from the appliance itself.
admin-password = Admin password
admin-login-button = Log in
admin-login-empty = Enter the admin password.
admin-login-wrong = Wrong password.
admin-login-too-many-device = Too many wrong passwords from this device: try again in { $seconds } seconds.
admin-login-too-many-all = Too many wrong passwords on this appliance: try again in { $seconds } seconds.
admin-login-busy = A login from this device is being checked: try again.
admin-login-recovery = Locked out as the admin? Type the one-time recovery code as the password: it is in whereflow-problems.txt on the SD card's boot partition and in the appliance's console log.
admin-logged-out = Logged out.
presenter-qr-wifi = QR code to join the WiFi network { $ssid }
presenter-qr-open = QR code to open { $url }

## Boot problems file (whereflow-problems.txt, system/problems.rs and the problems setup finds)
problems-title = whereflow cannot use its settings file ({ $file }).
problems-heading = Problems:
problems-fallback = Until they are fixed, the appliance runs a setup WiFi network:
problems-ssid = network name (SSID):
problems-passphrase = passphrase:
problems-fix =
    Joined to it, { $status } lists these problems too. To fix
    them, put the SD card in any computer, open { $file } on its boot partition
    in a text editor, correct the lines named above, and start the appliance again.
problem-missing = is missing: put it on the SD card's boot partition as { $path } (the image's sample lists every setting)
problem-unreadable = cannot be read: { $why }
problem-ssid-unset = not set: the name of the WiFi network people join (1 to 32 bytes)
problem-security-open = "open" is not offered: anyone nearby could join and watch everyone's traffic; use "auto", "wpa2", "wpa3" or "wpa2-wpa3"
problem-passphrase-unset = not set: choose 8 to 63 characters (letters, digits, spaces, punctuation) that people type to join
problem-country-unset = not set: the two-letter code of the country the appliance is in (e.g. DE, FR, GB, US); it decides which channels the radio may use
problem-wpa3-unsupported = "wpa3" needs a WiFi chip that does SAE and protected management frames as an access point, and this one does not: use "auto" (WPA2/WPA3 where the chip can) or "wpa2"
problem-radio-missing = there is no WiFi radio { $name } (found: { $found }): plug the adapter in, or use "auto"
problem-radio-missing-none = there is no WiFi radio { $name }, nor any other WiFi radio: plug the adapter in, or use "auto"
problem-radio-no-ap = { radio-name } cannot be an access point (its driver offers no AP mode): use another adapter (see the README's list) or "auto"
problem-radio-none = no WiFi radio was found: is the adapter plugged in, and its driver and firmware in the image?
problem-radio-only-uplink = the only WiFi radio ({ $radios }) is the WiFi uplink: the access point needs a second radio (a USB WiFi adapter, see the README), or use an Ethernet or USB uplink
problem-radio-none-ap = no WiFi radio here can be an access point ({ $radios }): plug in an adapter that can (see the README's list)
problem-with-defaults = { $why } (with the appliance's own defaults added)

## Reasons from deeper down inside the refusal pages (web/reasons.rs)
reason-cross-site = the request came from another site
reason-form-cookie-missing = the form's security cookie is missing
reason-form-token-mismatch = the form's security token does not match
reason-admin-token = the security token is missing or wrong: reload the admin page and try again
reason-login-required = admin login required: log in at /admin
reason-admin-off = the admin pages are off: set admin.password in the config file and restart
login-required-title = Admin login required
login-go-admin = Go to the admin page
not-found-title = Nothing here
not-found-text = This address does not exist on this appliance. Check the spelling, or start again from the home page.
not-found-home = Go to the home page
not-found-api = there is no such address in this API
reason-nickname-empty = the nickname is empty
reason-nickname-too-long = the nickname is longer than { $max } characters
reason-nickname-control = the nickname contains control characters or text-direction marks
reason-nickname-invisible = the nickname contains an invisible character
reason-nickname-marks = the nickname stacks too many accents on one letter
reason-nickname-not-text = the nickname is not valid text (UTF-8)
reason-nickname-rude = please pick a friendlier nickname
reason-nickname-locked = your teacher has locked this device's nickname for this session
reason-no-history = history is not being saved on this appliance (see /api/v1/status)
reason-busy = the appliance is busy; try again in a moment

## Admin

adm-logged-in-until = Logged in until { $time }.
adm-logout = Log out
adm-warnings = Warnings
adm-wifi = WiFi
adm-wifi-radio = Radio serving the room
adm-wifi-ap = Access point
adm-wifi-associated = Devices associated
adm-wifi-capacity = It admits
adm-wifi-uplink = Uplink
adm-wifi-portal = Internet check
adm-wifi-joined = How each device joined
adm-wifi-joined-what = WPA3 keeps a device's traffic private even from others who know the passphrase. On WPA2, anyone who knows the passphrase and saw a device join can read its traffic.
adm-col-device = Device
adm-col-wifi-security = Joined with
adm-wifi-wpa3 = WPA3
adm-wifi-wpa2 = WPA2
adm-wifi-open = open (no encryption)
adm-wifi-unknown = not known
adm-login-wpa2 = Careful: this device joined the WiFi with WPA2. On WPA2, anyone who knows the WiFi passphrase and saw this device join can read what it sends, including the admin password typed here. Log in from a device that joined with WPA3, over HTTPS, or over a cable.
adm-controls = Controls
adm-controls-off = The controls are off on this appliance (<code>[control] enabled = false</code> in the configuration file).
adm-nft-error = Blocking by address does not work now: { $error }
adm-dns-title = Block trackers and ads
adm-dns-what = While this is on, the appliance answers every look-up of an ad or tracking name (the ones the views mark in red) with an address that leads nowhere, so those connections stop appearing. A device keeps names it looked up before for a few minutes, and connections already open stay open until they end.
adm-dns-on-all = On for everyone.
adm-dns-off-all = Off for everyone.
adm-dns-turn-off-all = Turn off for everyone
adm-dns-turn-on-all = Turn on for everyone
adm-dns-on-for = On for these devices:
adm-turn-off = Turn off
adm-dns-one-device = One device only (its address)
adm-dns-device-example = e.g. 10.42.0.23
adm-dns-turn-on-device = Turn on for this device
adm-dns-blocked-count = Look-ups answered as blocked since the appliance started: { $count }.
adm-block-title = Block a country, an organization or an address
adm-block-what = Connections to a blocked destination are refused. A country or organization is blocked by the addresses seen for it: those in the views now, and each new one as soon as a device connects to it (that first connection is cut a moment after it starts).
adm-col-kind = Kind
adm-col-blocked = Blocked
adm-col-addresses-blocked = Addresses blocked
adm-kind-country = Country
adm-kind-org = Organization
adm-kind-ip = Address
adm-remove = Remove
adm-block = Block
adm-block-country = a country (two-letter code, e.g. NL)
adm-block-org = an organization (as the views name it, e.g. Meta)
adm-block-ip = an address
adm-block-value = Country code, organization or address
adm-open-title = Open connections
adm-open-none = No connections are open now.
adm-open-what = Ending a connection cuts it at once; the device may open a new one.
adm-open-ended = Ended so far: { $count }.
adm-col-to = To
adm-col-org = Organization
adm-tracker = tracker
adm-end = End
adm-protocol = protocol { $number }
adm-projector = Projector
adm-projector-what = What the group views (flow diagram, map, presenter, device list) show. Hidden devices and websites still count in the totals, as “Hidden devices” and “Hidden website”. A device's own page always shows it everything. Every rule lasts for this session; undo it any time.
adm-names-are-off = Names are <strong>off</strong>: the projector shows only pseudonyms.
adm-names-on = Names on
adm-names-are-on = Names are on: nicknames show on the projector.
adm-names-off = Names off (pseudonyms only)
adm-col-on-projector = On the projector
adm-hide = Hide
adm-clear-nickname = Clear nickname
adm-lock-nickname = Lock nickname
adm-hide-domain = a website (domain, e.g. example.com)
adm-hide-nickname = a nickname (on any device)
adm-hide-device = a device (its address)
adm-hide-value = Domain, nickname or address
adm-rules = Rules in force
adm-undo = Undo
adm-rule-device = device { $name }
adm-rule-device-gone = a device not connected now
adm-rule-nickname = nickname “{ $name }”
adm-rule-website = website { $name }
adm-rule-all = all names (names off)
adm-rule-hidden = Hidden: { $what }
adm-rule-cleared = Nickname cleared: { $what }
adm-rule-locked = Nickname locked: { $what }
adm-sessions = Sessions
adm-no-history = History is not being saved on this appliance, so there are no sessions to list or export (see the warnings on <a href="/api/v1/status">the status page</a>).
adm-sessions-what = A session is one class or workshop: everything recorded between its start and the next one's. Exports are files a spreadsheet opens (CSV, one table per file) or JSON with everything. Device lists name devices by address, host name and nickname; they never contain MAC addresses.
adm-col-session = Session
adm-col-started = Started
adm-col-ended = Ended
adm-col-export = Export and replay
adm-current = current
# A session the admin gave no name: $started is when it started.
adm-session-unnamed = Session of { $started }
adm-export-report = Report per host (CSV)
adm-export-flows = Flows (CSV)
adm-export-devices = Devices (CSV)
adm-export-dns = DNS answers (CSV)
adm-export-json = Everything (JSON)
adm-replay = Replay:
adm-replay-sankey = on the sankey
adm-replay-map = on the map
adm-delete = Delete
adm-new-session = Start a new session
adm-new-session-what = The views start empty; connections still open carry on in the new session.
adm-session-name = Name
adm-session-name-example = e.g. Class 7B, Tuesday
adm-current-session = The current session
adm-keep-it = keep it (it can be exported later)
adm-delete-it = delete it
adm-keep-nicknames = keep the devices' nicknames (otherwise everyone starts with a new pseudonym and no nickname)
adm-start-session = Start new session
adm-settings = Settings
adm-retention = Keep history for (days)
adm-max-db = Largest database size (MB)
adm-db-now = now { $size }
adm-no-database = no database
adm-default-old = When a new session starts, by default
adm-keep-old = keep the old one
adm-delete-old = delete the old one
adm-save-settings = Save settings
adm-config-file = Settings are saved in { $file }.
adm-config-none = There is no configuration file: settings changed here last until the next restart.
adm-backup = Backup
adm-backup-what = A backup holds the settings above, the devices' nicknames (with their MAC addresses: personal data, keep the file safe), DNS blocking and the blocks, the alert ignores in force and the projector's rules. It does not hold the admin password, the metrics token or the WiFi passphrase unless you ask for them.
adm-backup-download = Download a backup
adm-backup-download-secrets = Download a backup with the secrets
adm-restore-what = Restore a backup (checked whole first; nothing changes if any part is refused):
adm-restore-file = the file
adm-restore-paste = or its contents, pasted
adm-restore = Restore
adm-done-started = A new session has started.
adm-done-deleted = The session was deleted.
adm-done-settings = Settings saved.
adm-done-settings-runtime = Settings changed until the next restart (the configuration file could not be written).
adm-done-dns-block = DNS blocking of trackers and ads changed.
adm-done-blocked = Blocked.
adm-done-unblocked = The block is removed.
adm-done-killed = The connection was ended.
adm-done-group-view = The projector's rules changed.
adm-done-group-view-undone = Undone.
adm-refused = Refused: { $why }.
adm-incomplete-form = The form was incomplete: nothing changed.
adm-failed = That did not work: { $error }
adm-restored = Backup restored.
# A WiFi radio: its interface, driver and bus ($bus: usb, sdio, pci, other; unknown: only
# the interface is known; $driver "none": no driver). Inside the radio messages.
radio-name = { $bus ->
        [unknown] { $interface }
       *[other] { $interface } ({ $driver ->
            [none] no driver
           *[other] { $driver }
        }, { $bus ->
            [usb] USB
            [sdio] on-board (SDIO)
            [pci] PCI
           *[other] virtual or unknown bus
        })
    }
adm-wifi-chip = { $radio }, chip { $chip }
adm-wifi-gone = { $radio }: gone (unplugged, or its driver stopped)
adm-ap-running = running (hostapd: ENABLED)
adm-ap-not-running = not running (hostapd: { $state })
adm-ap-silent = hostapd does not answer
adm-assoc-auth = { $count } ({ $authorized } with the WPA handshake done; from hostapd)
adm-assoc = { $count } (from hostapd)
adm-assoc-unknown = unknown (hostapd does not answer)
adm-capacity = about { $stations } ({ $basis })
adm-capacity-unknown = not known for this driver
adm-room-full = Full: { $count } devices, about as many as the radio admits ({ $stations }). The next device may not get on; the presenter view says “room full”. A USB WiFi adapter admits more (see the README).
adm-room-nearly = Nearly full: { $count } of about { $stations } devices ({ $percent } %).
adm-uplink-wifi = { $interface } joins the WiFi network “{ $ssid }”: { $state }
adm-uplink-joined = joined (wpa_supplicant: COMPLETED)
adm-uplink-joining = not joined yet (wpa_supplicant: { $state })
adm-uplink-silent = wpa_supplicant does not answer
adm-uplink-cable = { $interface } (cable or USB)
adm-portal-unchecked = not checked yet (or uplink.probe_url is empty)
adm-portal-open = the internet answers
# What answered the captive portal check ($kind: redirect, page or status), inside
# adm-portal-captive and status-uplink-portal.
portal-answer = { $kind ->
        [redirect] a redirect ({ $code }) to { $to }
        [page] a page ({ $code }) instead of the empty 204 answer
       *[other] status { $code } instead of 204
    }
adm-portal-captive = the school network wants a login (the check got { portal-answer }): open any web page on a device joined to this WiFi and log in there
adm-portal-unreachable = no answer ({ $why })

## Status warnings
# The daemon's warnings that last while a condition does (/api/v1/status `warnings_words`,
# the admin page). The English is also the API's `warnings` text and the log's: keep both
# in step. Arguments are names, addresses and other programs' own words, as they came.
status-history-off = history is not being saved (data.dir { $dir }): { $error }
status-history-failing = history is not being saved: the database cannot be written ({ $error }); retrying every 2 s, new history is dropped while the queue is full ("history" counters); DNS and the live views keep working
status-export-unreachable = IPFIX collector { $url } unreachable ({ $error }); flow records to it are dropped until it answers
status-wifi-monitor-off = the WiFi monitor could not start: { $error }
status-wifi-radio-gone = the WiFi radio { radio-name } is gone (unplugged, or its driver stopped): devices cannot join until it is back; plug it in again and restart the appliance. Everything else keeps running
status-wifi-ap-stopped = the access point on { radio-name } is not running (hostapd's state is { $state }): the radio may refuse the country (wifi.country) or the channel; see /run/hostapd.log
status-wifi-ap-silent = hostapd does not answer for { $interface } ({ $error }): the access point may not be running; see /run/hostapd.log
status-wifi-room-full = the room is full: { $associated } devices on { radio-name }, which admits about { $capacity }; another device may not get on (a USB WiFi adapter admits more, see the README)
status-wifi-room-nearly = the room is nearly full: { $associated } devices on { radio-name }, which admits about { $capacity }
status-uplink-wrong-key = the uplink WiFi network "{ $ssid }" refused the passphrase: check uplink.wifi_passphrase in the settings file (the access point keeps running)
status-uplink-not-found = the uplink WiFi network "{ $ssid }" is not in range (no access point with that name answers): check uplink.wifi_ssid, or move the appliance closer
status-uplink-conn-failed = the uplink WiFi network "{ $ssid }" did not let the appliance join (its access point stopped answering; with WPA3 a wrong uplink.wifi_passphrase can look like this too); trying again
status-uplink-disabled = the uplink WiFi network "{ $ssid }" could not be joined ({ $reason }); trying again
status-uplink-disconnected = the uplink WiFi network "{ $ssid }" is not joined; trying again
status-uplink-portal = the school network wants a login: the uplink { $uplink } reaches a login page, not the internet (the check got { portal-answer }); open any web page on a device joined to this WiFi and log in there, it counts for the whole appliance
status-uplink-wpa-silent = wpa_supplicant does not answer for the uplink { $uplink } ({ $error }): the WiFi uplink is not running
status-setup-problem = settings file (whereflow-settings.toml): { $problem }
status-setup-unreadable = the settings problems file { $file } cannot be read: { $error }
status-setup-see-file = the settings have problems: see { $file }
status-setup-network = running the setup WiFi network "{ $ssid }" until the settings file is fixed
# The stages' own warnings (start-up and running problems). `error` is the OS's or another
# program's own words: the admin page shows it as it came, marked as English.
status-admin-off = the admin pages are off: the password could not be hashed ({ $error })
status-admin-plain-kept = the admin password is still written in plain text in { $file } (admin.password): it could not be replaced by its hash ({ $error }). Replace the line with the password_hash from { $hash_file }, or make the file writable
status-admin-hash-bad = the admin pages are off: the saved password hash in { $file } cannot be used ({ $error })
status-admin-hash-unsaved = the admin password hash could not be saved in { $file } ({ $error })
status-conntrack-disabled = connections are not watched (conntrack is off in the config): names (DNS) only, no flows
status-conntrack-not-started = connections are not watched, so no flows will be shown: the connection reader (conntrack) did not start ({ $error })
status-devices-not-started = devices are known by address only: the device reader did not start ({ $error })
status-detect-neighbours-unreadable = address conflicts on the network are not detected: the neighbour table cannot be read ({ $error })
status-detect-arp-unreadable = a device pretending to be the gateway is not detected: ARP packets cannot be read (needs CAP_NET_RAW; { $error })
status-detect-lan-thread = the network watch could not start ({ $error }): address conflicts are not detected
status-detect-nflog-unreadable = FIN, Xmas and Null scans are not detected: logged invalid packets cannot be read (detect.nflog_group; { $error })
status-detect-nflog-thread = the invalid packet watch could not start ({ $error }): FIN, Xmas and Null scans are not detected
status-controls-saved-unreadable = the saved blocks could not be read, so none apply now ({ $error })
status-controls-table-left = controls are off, but the firewall table { $table } from an earlier run could not be removed, so its blocks still apply ({ $error })
status-controls-not-enforced = the { $count } saved blocks do not apply: the firewall (nftables) refused them ({ $error })
status-controls-unsaved = the blocks could not be saved: a restart would lose the latest changes ({ $error })
status-dns-no-upstreams = names cannot be looked up: no DNS server is set (dns.upstreams) and none usable in /etc/resolv.conf, so every name that is not local fails
status-dns-cert-refused = the encrypted DNS server { $upstream } is not used: its certificate was refused ({ $error }). It must show a certificate valid for { $name } from a trusted authority; check the name after @ in dns.upstreams, or set dns.tls_ca_file for a private authority
status-conntrack-dump-slow = reading the connection table took longer than 30 s; trying again
status-conntrack-dump-request = the connection table cannot be read ({ $error }); trying again later
status-conntrack-dump-denied = the connection table cannot be read: whereflow needs CAP_NET_ADMIN ({ $error })
status-conntrack-dump-failed = reading the connection table failed ({ $error }); trying again later
status-conntrack-full = { $max } connections are followed (conntrack.max_flows), as many as allowed: newer ones are not shown
status-conntrack-skipped = a connection message could not be used and was skipped ({ $error }); further ones are only counted
status-conntrack-small-buffer = the buffer for new connections holds { $got } bytes, not { $wanted } ({ $error }): a burst of new connections may overflow it and cost a full re-read; give whereflow CAP_NET_ADMIN or raise net.core.rmem_max
# What is lost while a conntrack sysctl is off ($knob: its name); said inside the
# status-sysctl-* messages.
sysctl-without = { $knob ->
        [nf_conntrack_acct] byte and packet counts are missing
        [nf_conntrack_timestamp] a connection's start is when whereflow first saw it, not when it began
       *[other] new and ended connections are only found by the periodic re-read, and short ones are missed
    }
status-sysctl-unreadable = { $file } cannot be read ({ $error }): is connection tracking (nf_conntrack) loaded? While { $knob } is off, { sysctl-without }
status-sysctl-was-off = { $key } was { $value } and is now 1; connections that began before still miss it: { sysctl-without }
status-sysctl-unset = { $knob } is { $value } and could not be turned on ({ $error }): { sysctl-without }; set { $key }=1 (needs root)
status-sysctl-off = { $knob } is { $value }: { sysctl-without }; set { $key }=1
status-history-over-cap = the history is over its size limit (history.max_db_mb = { $max_mb }) with only the current session's last hour left: raise the limit or start a new session
status-domains-unusable = the built-in domain lists cannot be used ({ $error }): organisations are known by network (AS) only
status-geo-none = no geo database (enrich.geo_dbs, or the bundled one from scripts/fetch-default-data.sh): countries and places are unknown
status-asn-none = no network (AS) database (enrich.asn_dbs, or the bundled one from scripts/fetch-default-data.sh): networks are unknown
status-db-directory = the { $kind ->
        [as] network (AS)
       *[other] geo
    } database { $file } is not used: it is a folder, not a file
status-db-unreadable = the { $kind ->
        [as] network (AS)
       *[other] geo
    } database { $file } cannot be read ({ $error })
status-db-invalid = the { $kind ->
        [as] network (AS)
       *[other] geo
    } database { $file } is not used: it is not a valid MaxMind DB file ({ $error })
status-db-wrong-kind = the { $kind ->
        [as] network (AS)
       *[other] geo
    } database { $file } is not used: it holds no { $kind ->
        [as] network numbers
       *[other] countries or places
    } (its type is { $type })
status-devices-neighbours-unreadable = devices are known from DHCP leases only: the neighbour table cannot be read ({ $error })
status-devices-leases-unreadable = device names from DHCP are not shown: the lease file { $file } cannot be read (devices.dnsmasq_leases; { $error })
status-devices-leases-too-big = the DHCP lease file { $file } is ignored: it has { $size } bytes, more than the { $max } read
status-devices-no-interface = devices.interfaces names { $name }, but there is no such network interface: devices on it are not seen
status-devices-neighbours-failed = reading the neighbour table failed ({ $error }): new devices may be missed for a while
# What `whereflow setup` found about the WiFi radios (system.notes).
status-radio-no-ap = the WiFi adapter { radio-name } cannot be an access point (its driver has no AP mode): not used
status-radio-usb-many = { $count } USB WiFi adapters can be access points ({ $radios }): using { $radio }, the first by name; set wifi.interface to choose another
# What the problems file's note says when a WiFi condition has passed.
status-fine-again = fine again
# The labels of the notes the appliance writes below the boot problems file's problems.
note-wifi = WiFi ({ $about })
note-radio = WiFi radio
note-recovery = Admin recovery code (type it as the password; works once)
note-https = HTTPS certificate fingerprint (SHA-256)
## Form complaints (what was sent cannot be used); the English is also the API's `error`.
complaint-body = the form could not be read: { $error }
complaint-export-format = format must be "csv" or "json", not { $value }
complaint-export-report-part = the report is the hosts part; leave part out
complaint-export-part = part must be devices, flows, dns or hosts, not { $value }
complaint-not-a-number = { $key }: not a number: { $value }
complaint-settings = these settings cannot be used: { $error }
complaint-scope-all-device = device: not with scope "all"
complaint-scope-device-needed = device: the device's address is needed with scope "device"
complaint-scope = scope: { $value } is not "all" or "device"
complaint-not-a-device = { $value } is not a device's address
complaint-block-kind = kind: { $value } is not one of "country", "org", "ip"
complaint-block-country = value: { $value } is not a two-letter country code (ISO 3166, e.g. "NL")
complaint-block-org-empty = value: the organization's name is empty
complaint-block-org-long = value: at most { $max } characters
complaint-block-org-control = value: no control characters
complaint-block-ip = value: { $value } is not an IP address
complaint-block-ip-never = value: { $value } cannot be blocked
complaint-mark-empty = a mark needs a label (e.g. "Now open your favourite app")
complaint-mark-long = a mark's label is at most { $max } characters; this one has { $count }
complaint-mark-control = a mark's label is one line of text, without control characters
complaint-mark-body = the request must be JSON with a "label" of at most { $max } characters: { $error }
complaint-query = the address's parameters could not be read: { $error }
complaint-replay-window = the replay's window is 1 to { $max } seconds; this one is { $value }
complaint-replay-at = the replay's moment ("at") must be a time in milliseconds since 1970
complaint-session-name-long = name: at most { $max } characters
complaint-session-name-control = name: no control characters
# What a backup restore did (the admin page's notice; the API's `note` is the English).
restore-done = Backup restored: { $nicknames } nicknames, DNS blocking for everyone { $dns_all ->
        [on] on
       *[off] off
    }, DNS blocking for { $devices } devices, { $blocks } blocks, { $ignores } alert ignores, { $rules } projector rules.
restore-done-settings = Backup restored: settings, { $nicknames } nicknames, DNS blocking for everyone { $dns_all ->
        [on] on
       *[off] off
    }, DNS blocking for { $devices } devices, { $blocks } blocks, { $ignores } alert ignores, { $rules } projector rules.
restore-already = { $count } were here already.
restore-expired = { $count } ignores had ended and were left out.
restore-not-applied = Not applied: { $problems }.
restore-secrets-now = Now in force: { $secrets }.
restore-secret-admin-password = admin password
restore-secret-metrics-token = metrics token
restore-passphrase-at-restart = The WiFi passphrase is saved and applies at the next start (changing it now would drop every device in the room).
restore-secrets-not-applied = Secrets not applied: { $problems }.
restore-choose-file = choose a backup file, or paste its contents
restore-upload-unreadable = the upload could not be read: { $error }
restore-not-text = the file chosen is not a whereflow backup (not text)
# Why an admin action did not work (after adm-failed's "That did not work:").
fail-no-history = history is not being saved on this appliance (see the warnings)
fail-busy-exports = busy: two exports are running already; try again in a moment
fail-busy-shutdown = busy: exports are shutting down; try again in a moment
fail-busy-deleting = busy: the database is still deleting; try again in a moment
fail-no-such-session = there is no session { $id }
fail-current-session = session { $id } is the current session: start a new session before deleting it
fail-writer = the store writer is not running or too busy: { $error }
fail-too-many-marks = this session already has { $max } marks, the most one session keeps
fail-keep-or-delete = choose to keep or delete the old session
fail-rule-duplicate = this rule is already in place (rule { $id })
fail-rules-full = at most { $max } rules per session; undo some first
fail-no-such-rule = there is no rule { $id }
fail-controls-off = the controls are off on this appliance (control.enabled = false)
fail-no-such-block = there is no block { $id }
fail-no-such-flow = there is no connection { $id } (it may have been forgotten)
fail-flow-closed = connection { $id } has ended already
fail-block-duplicate = { $value } is blocked already (block { $id })
fail-blocks-full = the block sets hold { $count } addresses already (control.max_blocked_addresses)
fail-nft = blocking needs nftables, which failed: { $error }
fail-kill-gone = the connection is not in the kernel's table any more (it has ended)
fail-kill-denied = not allowed to change the connection table (needs CAP_NET_ADMIN): { $error }
fail-kill-refused = the kernel refused to delete the connection: { $error }
fail-kill-io = talking to the kernel's connection table failed: { $error }
fail-internal = something went wrong inside the appliance: { $error }
fail-choose-on-off = choose on or off
