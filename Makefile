# onedoor: build, test, install.  Needs GNU make (wildcard, ifneq, $(shell)).
# Every lib/*.c goes into libonedoor.a, every cmd/*.c becomes bin/NAME,
# every tests/unit/test_*.c becomes a unit-test binary.  New files need no
# edit here.
#
# CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are the builder's: set them on the
# command line or in the environment and the project's own flags (the
# C standard, the warnings, the include path, the libraries) are kept.
# WERROR=1 makes warnings errors (CI sets it; a packager's newer compiler
# should not fail the build on a new warning).  SANITIZE=address,undefined
# builds under the sanitizers in build-san.  Objects are rebuilt when the
# flags, PREFIX or DATADIR change (BUILD/flags records them).

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/onedoor
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
VERSION  := 0.1.0

CC         ?= cc
CFLAGS     ?= -O2 -g
PKG_CONFIG ?= pkg-config
INSTALL    ?= install

WARN      = -std=c11 -pedantic -Wall -Wextra -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wwrite-strings -Wformat=2
ifeq ($(WERROR),1)
WARN     += -Werror
endif

# jansson and zlib as pkg-config gives them; without pkg-config, the
# plain names.  libcsv ships no .pc file.
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson zlib 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs jansson zlib 2>/dev/null || echo -ljansson -lz)

OD_CPPFLAGS = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude \
              -DONEDOOR_VERSION='"$(VERSION)"' -DONEDOOR_DATADIR='"$(DATADIR)"' \
              $(CPPFLAGS)
OD_CFLAGS   = $(WARN) $(DEP_CFLAGS) $(CFLAGS)
OD_LDFLAGS  = $(LDFLAGS)
OD_LDLIBS   = -lcsv $(DEP_LIBS) -lm $(LDLIBS)

ifneq ($(SANITIZE),)
OD_CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OD_LDFLAGS += -fsanitize=$(SANITIZE)
BUILD      ?= build-san
endif
BUILD ?= build

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
CMD_SRC  := $(sort $(wildcard cmd/*.c))
CMDS     := $(CMD_SRC:cmd/%.c=%)
BINS     := $(CMDS:%=$(BUILD)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBA     := $(BUILD)/libonedoor.a
HDRS     := $(wildcard include/*.h)

.PHONY: all check unit golden install uninstall install-check clean demo lint tidy bench fuzz sanitize valgrind FORCE

all: $(BINS)

# What the objects were built with, rewritten only when it changes, so
# that a new PREFIX (the data directory is compiled in) or new flags
# rebuild everything and an unchanged make rebuilds nothing.
FLAGS := $(CC) $(OD_CPPFLAGS) $(OD_CFLAGS) $(OD_LDFLAGS) $(OD_LDLIBS)
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@f='$(subst ','\'',$(FLAGS))'; \
	if [ x"$$f" != x"$$(cat $@ 2>/dev/null)" ]; then printf '%s\n' "$$f" >$@; fi

$(BUILD)/lib/%.o: lib/%.c $(HDRS) $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(OD_CPPFLAGS) $(OD_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: cmd/%.c cmd/cmd.h $(LIBA) $(HDRS) $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(OD_CPPFLAGS) $(OD_CFLAGS) $(OD_LDFLAGS) -o $@ $< $(LIBA) $(OD_LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIBA) $(HDRS) $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(OD_CPPFLAGS) $(OD_CFLAGS) $(OD_LDFLAGS) -Itests/unit -o $@ $< $(LIBA) $(OD_LDLIBS)

# The whole suite: install and uninstall in a scratch DESTDIR, the unit
# tests, then the golden tests over the built commands.
check: $(BINS) $(UNITS)
	@MAKE='$(MAKE)' sh tests/install.sh
	@BUILD=$(BUILD) sh tests/run.sh

sanitize:
	$(MAKE) SANITIZE=address,undefined check

# Under memcheck: the unit tests, the golden tests in faults/ and bad/ and
# a fixed sample of the others (VALGRIND_SAMPLE=1 for all; tests/run.sh).
valgrind: $(BINS) $(UNITS)
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

demo: $(BINS)
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" sh examples/demo.sh

bench: $(BINS)
	@BUILD=$(BUILD) sh bench/run.sh

fuzz:
	@MAKE='$(MAKE)' sh tests/fuzz/run.sh $(FUZZ_SECONDS)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --std=c11 --inline-suppr --suppressions-list=.cppcheck-suppress -Iinclude lib cmd
	mandoc -Tlint -W warning man/*.[17]

# clang's static analyzer over lib and cmd (.clang-tidy, which lists and
# explains the checks turned off); CI runs it and fails on any finding.
tidy:
	clang-tidy --quiet lib/*.c cmd/*.c -- -std=c11 -Iinclude -Icmd $(filter -D%,$(OD_CPPFLAGS))

# Everything install puts down, uninstall takes away; install-check
# proves it in a scratch DESTDIR.
MAN1 := $(notdir $(wildcard man/*.1))
MAN7 := $(notdir $(wildcard man/*.7))
DATA := $(notdir $(wildcard data/*))

install: $(BINS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(DATADIR) $(DESTDIR)$(COMPDIR)
	$(INSTALL) -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(MAN1:%=man/%) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(MAN7:%=man/%) $(DESTDIR)$(MANDIR)/man7/
	$(INSTALL) -m 644 $(DATA:%=data/%) $(DESTDIR)$(DATADIR)/
	for c in $(CMDS); do \
	  $(INSTALL) -m 644 completion/onedoor.bash $(DESTDIR)$(COMPDIR)/$$c || exit 1; done

uninstall:
	rm -f $(CMDS:%=$(DESTDIR)$(BINDIR)/%) $(CMDS:%=$(DESTDIR)$(COMPDIR)/%)
	rm -f $(MAN1:%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN7:%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -f $(DATA:%=$(DESTDIR)$(DATADIR)/%)
	rmdir $(DESTDIR)$(DATADIR) 2>/dev/null || true

install-check: $(BINS)
	@MAKE='$(MAKE)' sh tests/install.sh

clean:
	rm -rf build build-san build-fuzz build-clang build-chunk
