# Shared by whereflow's init scripts (/etc/init.d/S*): sourced, not run.
# shellcheck shell=sh

# The files `whereflow setup` renders, and the settings they come from.
WF_RUN=/run/whereflow
WF_SETTINGS=/boot/whereflow-settings.toml
# The settings file's name on cards set up with an earlier image: read when WF_SETTINGS is
# not there (see wf_settings_file).
WF_SETTINGS_OLD=/boot/whereflow.toml
WF_PROBLEMS=/boot/whereflow-problems.txt
# The daemon's copy of the problems file: it has no right to make the boot partition
# writable, so it keeps its notes (the admin recovery code, the uplink's state) here;
# wf_notes_prepare fills it before the daemon starts, wf_notes_back carries it back.
WF_NOTES_DIR=/run/whereflow-notes
WF_PROBLEMS_LIVE=$WF_NOTES_DIR/whereflow-problems.txt
WF_DATA=/data
# The daemon's configuration, rendered by setup (it holds the WiFi passphrase).
WF_DAEMON_CONF=$WF_RUN/daemon.toml

# Note a boot step: in the kernel log (dmesg shows it with the time since the kernel
# started) and in /run/whereflow-boot-times (seconds since boot, step).
wf_mark() {
	wf_up=$(cut -d' ' -f1 /proc/uptime)
	echo "whereflow-boot: $1 (${wf_up}s)" >/dev/kmsg 2>/dev/null || true
	echo "$wf_up $1" >>/run/whereflow-boot-times
}

# Say something on the console (and in the system log).
wf_say() {
	echo "whereflow: $*" >/dev/console 2>/dev/null || echo "whereflow: $*" >&2
	logger -t whereflow "$*" 2>/dev/null || true
}

# Set the note "$1: $2" in the problems file's notes part (below the marker the daemon uses
# too, so setup's problems above it stay as they are; an earlier note with the same label
# goes), with the boot partition writable for the moment it takes.
WF_NOTES_MARKER="--- notes from the running appliance (not problems) ---"
# The boot partition writable for a moment: wf_boot_rw, write, wf_boot_ro (read-only again
# if it was).
wf_boot_rw() {
	wf_ro=no
	if awk '$2 == "/boot" && $4 ~ /^ro(,|$)/ { found = 1 } END { exit !found }' /proc/mounts; then
		mount -o remount,rw /boot 2>/dev/null && wf_ro=yes
	fi
}
wf_boot_ro() {
	sync
	if [ "$wf_ro" = yes ]; then
		mount -o remount,ro /boot 2>/dev/null || true
	fi
}

wf_note() {
	wf_boot_rw
	wf_tmp="$WF_PROBLEMS.new"
	{
		if [ -f "$WF_PROBLEMS" ]; then
			grep -v "^$1: " "$WF_PROBLEMS"
		fi
		if ! grep -qsF -- "$WF_NOTES_MARKER" "$WF_PROBLEMS"; then
			echo
			echo "$WF_NOTES_MARKER"
		fi
		echo "$1: $2"
	} >"$wf_tmp" && chmod 600 "$wf_tmp" 2>/dev/null
	mv -f "$wf_tmp" "$WF_PROBLEMS" || rm -f "$wf_tmp"
	wf_boot_ro
}

# Before the daemon starts: its copy of the problems file as the boot partition has it (none
# if there is none), its own to write.
wf_notes_prepare() {
	mkdir -p "$WF_NOTES_DIR"
	chown whereflow:whereflow "$WF_NOTES_DIR" && chmod 700 "$WF_NOTES_DIR"
	if [ -f "$WF_PROBLEMS" ]; then
		cp "$WF_PROBLEMS" "$WF_PROBLEMS_LIVE" &&
			chown whereflow:whereflow "$WF_PROBLEMS_LIVE" && chmod 600 "$WF_PROBLEMS_LIVE"
	else
		rm -f "$WF_PROBLEMS_LIVE"
	fi
}

# The daemon's copy onto the boot partition, if it changed.
wf_notes_back() {
	[ -f "$WF_PROBLEMS_LIVE" ] || return 0
	cmp -s "$WF_PROBLEMS_LIVE" "$WF_PROBLEMS" && return 0
	wf_boot_rw
	wf_tmp="$WF_PROBLEMS.new"
	cp "$WF_PROBLEMS_LIVE" "$wf_tmp" && chmod 600 "$wf_tmp" 2>/dev/null
	mv -f "$wf_tmp" "$WF_PROBLEMS" || rm -f "$wf_tmp"
	wf_boot_ro
}

# Load the variables setup rendered (WF_AP_INTERFACE, WF_AP_ADDRESS, WF_UPLINK,
# WF_UPLINK_WIFI, WF_WEB_PORT, WF_FALLBACK). Returns 1 if setup has not run.
wf_env() {
	[ -r "$WF_RUN/system.env" ] || return 1
	# shellcheck source=/dev/null
	. "$WF_RUN/system.env"
}

# The settings file to use: WF_SETTINGS, or on a card edited following older instructions
# the file under its older name (said on the console and in the system log, so that nobody
# wonders which of the two counts).
wf_settings_file() {
	if [ ! -e "$WF_SETTINGS" ] && [ -e "$WF_SETTINGS_OLD" ]; then
		wf_say "no $WF_SETTINGS: using $WF_SETTINGS_OLD (its name on earlier images)"
		echo "$WF_SETTINGS_OLD"
		return
	fi
	if [ -e "$WF_SETTINGS_OLD" ]; then
		wf_say "$WF_SETTINGS_OLD is ignored: the settings are read from $WF_SETTINGS"
	fi
	echo "$WF_SETTINGS"
}

# Run `whereflow setup` with the boot partition writable for the moment it takes (it
# writes the problems file and replaces a plain admin password by its hash).
# Arguments are passed on (e.g. --hostapd-refused TEXT). Returns setup's status:
# 0 settings used, 2 fallback rendered, other: nothing usable rendered.
wf_setup() {
	wf_boot_rw
	mkdir -p "$WF_RUN"
	wf_settings=$(wf_settings_file)
	whereflow setup --settings "$wf_settings" --out "$WF_RUN" --problems "$WF_PROBLEMS" \
		--fallback-passphrase-file "$WF_DATA/whereflow-setup-passphrase" \
		--daemon-problems "$WF_PROBLEMS_LIVE" "$@"
	wf_status=$?
	wf_boot_ro
	# The daemon's configuration holds the WiFi passphrase: its group only.
	if [ -f "$WF_DAEMON_CONF" ]; then
		chgrp whereflow "$WF_DAEMON_CONF" 2>/dev/null || true
	fi
	return "$wf_status"
}
