# onedoor: build, test, install.  Plain POSIX make plus GNU wildcards.
# Every lib/*.c goes into libonedoor.a, every cmd/*.c becomes bin/NAME,
# every tests/unit/test_*.c becomes a unit-test binary.  New files need no
# edit here.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/onedoor
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
VERSION  := 0.1.0

CC       ?= cc
OPT      ?= -O2 -g
WARN      = -std=c11 -pedantic -Wall -Wextra -Werror -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wwrite-strings -Wformat=2
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude \
            -DONEDOOR_VERSION='"$(VERSION)"' -DONEDOOR_DATADIR='"$(DATADIR)"'
CFLAGS   += $(OPT) $(WARN)
LDLIBS   += -lcsv -ljansson -lz -lm

ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   ?= build-san
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

.PHONY: all check unit golden install uninstall clean demo lint tidy bench fuzz sanitize valgrind

all: $(BINS)

$(BUILD)/lib/%.o: lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: cmd/%.c cmd/cmd.h $(LIBA) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIBA) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(LIBA) $(LDLIBS)

# The whole suite: unit tests, then golden tests over the built commands.
check: $(BINS) $(UNITS)
	@BUILD=$(BUILD) sh tests/run.sh

sanitize:
	$(MAKE) SANITIZE=address,undefined check

valgrind: $(BINS) $(UNITS)
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

demo: $(BINS)
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" sh examples/demo.sh

bench: $(BINS)
	@BUILD=$(BUILD) sh bench/run.sh

fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --std=c11 --inline-suppr --suppressions-list=.cppcheck-suppress -Iinclude lib cmd
	mandoc -Tlint -W warning man/*.[17]

# clang's static analyzer over lib and cmd (.clang-tidy, which lists and
# explains the checks turned off); CI runs it and fails on any finding.
tidy:
	clang-tidy --quiet lib/*.c cmd/*.c -- -std=c11 -Iinclude -Icmd $(filter -D%,$(CPPFLAGS))

install: $(BINS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp man/*.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/*.7 $(DESTDIR)$(MANDIR)/man7/
	if [ -d data ]; then mkdir -p $(DESTDIR)$(DATADIR) && cp data/* $(DESTDIR)$(DATADIR)/; fi
	if [ -f completion/onedoor.bash ]; then mkdir -p $(DESTDIR)$(COMPDIR) && \
	  for c in $(CMDS); do cp completion/onedoor.bash $(DESTDIR)$(COMPDIR)/$$c; done; fi

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1 $(DESTDIR)$(COMPDIR)/$$c; done

clean:
	rm -rf build build-san build-fuzz
