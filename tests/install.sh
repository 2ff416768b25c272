#!/bin/sh
# tests/install.sh - `make install-check`, and the first step of `make
# check`: make install into a scratch DESTDIR must put down every
# command (mode 755), man page, data file and completion file (mode 644)
# where PREFIX says, and make uninstall must take every one away again,
# and the data directory with them.  Run from the top of the tree; MAKE
# is the make to call (the caller's, with its variables).
MAKE=${MAKE:-make}
d=$(mktemp -d "${TMPDIR:-/tmp}/onedoor-install.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT INT TERM
fail() { echo "FAIL install-check: $*"; exit 1; }

# Where make would put things, as make sees PREFIX and the rest.
dirs=$($MAKE -s --no-print-directory -f Makefile -f - install-dirs <<'MK'
install-dirs:
	@echo $(BINDIR) $(MANDIR) $(DATADIR) $(COMPDIR)
MK
) || fail "cannot read the install directories"
# shellcheck disable=SC2086 # split on purpose: four directories
set -- $dirs
bindir=$d$1 mandir=$d$2 datadir=$d$3 compdir=$d$4

$MAKE -s --no-print-directory DESTDIR="$d" install >"$d.log" 2>&1 ||
	{ cat "$d.log"; rm -f "$d.log"; fail "make install failed"; }
rm -f "$d.log"

# want FILE MODE: the file is there with that mode
n=0
want() {
	[ -f "$1" ] || fail "not installed: ${1#"$d"}"
	m=$(stat -c %a "$1")
	[ "$m" = "$2" ] || fail "${1#"$d"}: mode $m, want $2"
	n=$((n + 1))
}
for c in cmd/*.c; do
	c=$(basename "$c" .c)
	want "$bindir/$c" 755
	want "$compdir/$c" 644
done
for m in man/*.[17]; do want "$mandir/man${m##*.}/${m#man/}" 644; done
for f in data/*; do want "$datadir/${f#data/}" 644; done
got=$(find "$d" ! -type d | wc -l)
[ "$got" -eq "$n" ] || fail "make install put down $got files, want $n"

$MAKE -s --no-print-directory DESTDIR="$d" uninstall >/dev/null 2>&1 ||
	fail "make uninstall failed"
left=$(find "$d" ! -type d)
[ -z "$left" ] || fail "left after make uninstall: $left"
[ ! -d "$datadir" ] || fail "left after make uninstall: ${datadir#"$d"}"
echo "install-check: $n files installed, all removed by uninstall"
