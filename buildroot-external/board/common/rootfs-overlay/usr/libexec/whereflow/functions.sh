# Shared by whereflow's init scripts (/etc/init.d/S*): sourced, not run.
# shellcheck shell=sh

# The files `whereflow setup` renders, and the settings they come from.
WF_RUN=/run/whereflow
WF_SETTINGS=/boot/whereflow.toml
WF_PROBLEMS=/boot/whereflow-problems.txt
WF_DATA=/data

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

# Load the variables setup rendered (WF_AP_INTERFACE, WF_AP_ADDRESS, WF_UPLINK,
# WF_WEB_PORT, WF_FALLBACK). Returns 1 if setup has not run.
wf_env() {
	[ -r "$WF_RUN/system.env" ] || return 1
	# shellcheck source=/dev/null
	. "$WF_RUN/system.env"
}

# Run `whereflow setup` with the boot partition writable for the moment it takes (it
# writes the problems file and replaces a plain admin password by its hash).
# Arguments are passed on (e.g. --fallback-reason TEXT). Returns setup's status:
# 0 settings used, 2 fallback rendered, other: nothing usable rendered.
wf_setup() {
	wf_ro=no
	if awk '$2 == "/boot" && $4 ~ /^ro(,|$)/ { found = 1 } END { exit !found }' /proc/mounts; then
		mount -o remount,rw /boot 2>/dev/null && wf_ro=yes
	fi
	mkdir -p "$WF_RUN"
	whereflow setup --settings "$WF_SETTINGS" --out "$WF_RUN" --problems "$WF_PROBLEMS" \
		--fallback-passphrase-file "$WF_DATA/whereflow-setup-passphrase" "$@"
	wf_status=$?
	sync
	if [ "$wf_ro" = yes ]; then
		mount -o remount,ro /boot 2>/dev/null || true
	fi
	# The daemon's configuration holds the WiFi passphrase: its group only.
	if [ -f "$WF_RUN/whereflow.toml" ]; then
		chgrp whereflow "$WF_RUN/whereflow.toml" 2>/dev/null || true
	fi
	return "$wf_status"
}
