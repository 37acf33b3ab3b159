# Shared by the lab's stand-ins (/etc/rc.common, /sbin/ifup, /sbin/uci). Not part of OpenWrt: it
# writes the lab journal that OpenWrtHost.reloads() and writeEvents() read (DESIGN.md "The lab":
# init-script stand-ins record every reload with the committed file content at that moment).

LAB_DIR=/usr/libexec/routerstack-lab
# stateDir/journal on the test machine, bind-mounted here at host start.
LAB_JOURNAL=$LAB_DIR/journal
# Generated at host start (listen address, dropbear flags).
[ -f "$LAB_DIR/env.sh" ] && . "$LAB_DIR/env.sh"

# Wall-clock time in milliseconds. Busybox date has no %N, but adjtimex prints tv_sec and tv_usec.
lab_now_ms() {
	adjtimex 2>/dev/null | awk '/time.tv_sec/ { s = $2 } /time.tv_usec/ { u = $2 } END { printf "%d%03d\n", s, int(u / 1000) }'
}

# lab_record_begin SERVICE ACTION FILE...
# Snapshots FILEs (absolute paths; missing ones are skipped) into a private record directory and
# notes the time, before the action runs, so the record shows exactly what the service read.
lab_record_begin() {
	LAB_REC=$(mktemp -d "$LAB_JOURNAL/tmp.XXXXXX") || { LAB_REC=; return 0; }
	LAB_REC_AT=$(lab_now_ms)
	printf 'service=%s\naction=%s\nat=%s\n' "$1" "$2" "$LAB_REC_AT" > "$LAB_REC/meta"
	shift 2
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		mkdir -p "$LAB_REC/files${f%/*}"
		cat "$f" > "$LAB_REC/files$f"
	done
	: > "$LAB_REC/output"
}

# lab_record_end RC — publishes the record with one rename, so readers never see half of it.
lab_record_end() {
	[ -n "$LAB_REC" ] || return 0
	printf 'rc=%s\n' "$1" >> "$LAB_REC/meta"
	mv "$LAB_REC" "$LAB_JOURNAL/reloads/$LAB_REC_AT-$$-${LAB_REC##*.}"
	LAB_REC=
}
