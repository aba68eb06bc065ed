# SPDX-License-Identifier: GPL-2.0
#
# tcptune developer Makefile.
#
#   make               build tcptune.ko and the tcptune CLI
#   make check         install what is missing, build, run every test
#   make check SUITE=S [FILTER=F]  one VM suite (or its tests matching F)
#   make demo          the README's first command: build, boot, show it work
#   make style         checkpatch.pl over the module
#   make sparse        the module under sparse (C=2), with proof sparse ran
#   make install       the module into $(DESTDIR)/lib/modules/KVER/updates/
#                      (KVER: the release of KDIR), depmod, then the CLI, its
#                      man page and completion (PREFIX, DESTDIR, MANDIR)
#   make uninstall     removes what make install installed (the module in any
#                      compression, for the same KDIR and PREFIX), depmod
#   make dkms-install  the module's sources (dkms.conf, Kbuild, module/,
#                      include/) into /usr/src/tcptune-VERSION, then dkms add,
#                      build and install for DKMS_KVER (default: the running
#                      kernel); DKMS rebuilds it for every kernel installed later
#   make dkms-uninstall  dkms remove --all of tcptune/VERSION and the
#                      /usr/src/tcptune-VERSION directory
#   make dkms-src      only copy those sources to $(DESTDIR)/usr/src/tcptune-VERSION
#                      (the tcptune-dkms package's debian/rules uses it)
#   scripts/build-deb.sh  the Debian packages tcptune and tcptune-dkms into
#                      build/deb/ (dpkg-buildpackage, lintian)
#
# VERSION is dkms.conf's PACKAGE_VERSION.
#
# KDIR defaults to the VM kernel's headers (the newest Debian 6.1 kernel
# installed); on a real host: make KDIR=/lib/modules/$(uname -r)/build

VM_KVER ?= $(shell ls -d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | \
		sed 's|/lib/modules/||; s|/build||' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(VM_KVER)/build
SRCTREE ?= $(lastword $(sort $(wildcard /usr/src/linux-source-6.1)))

all: module cli

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at KDIR=$(KDIR): run scripts/setup.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

cli:
	$(MAKE) -C userspace-tools

install-cli: cli
	$(MAKE) -C userspace-tools install

# sparse (C=2: every file re-checked), and proof that it ran: sparse must be
# installed, must report the canary's known defect (selftests/sparse), and
# kbuild must have printed a CHECK line for every module/*.c.  The sub-makes
# run without -s (MAKEFLAGS emptied) so that the CHECK lines are printed.
# Prints the module's build log; warnings in it are the test's business.
# W=1 as the test command's build: the same compile commands leave the
# objects up to date (a build without it recompiled all of them, and then
# the pkg suite's make install W=1 in the guest did so again: 277 s).
SPARSE_OUT = $(CURDIR)/build/sparse
sparse:
	@command -v sparse >/dev/null || { echo "sparse: not installed (scripts/setup.sh installs it)" >&2; exit 1; }
	@test -d "$(KDIR)" || { echo "no kernel headers at KDIR=$(KDIR): run scripts/setup.sh" >&2; exit 1; }
	@rm -rf $(SPARSE_OUT) && mkdir -p $(SPARSE_OUT)/canary && \
	 cp selftests/sparse/canary.c selftests/sparse/Kbuild $(SPARSE_OUT)/canary/
	@env MAKEFLAGS= MFLAGS= $(MAKE) -C $(KDIR) M=$(SPARSE_OUT)/canary C=2 modules \
		>$(SPARSE_OUT)/canary.log 2>&1 || \
	 { cat $(SPARSE_OUT)/canary.log; echo "sparse: the canary did not build" >&2; exit 1; }
	@grep -q 'canary\.c:.*dereference of noderef' $(SPARSE_OUT)/canary.log || \
	 { cat $(SPARSE_OUT)/canary.log; echo "sparse: the canary's defect was not reported: sparse does not really run" >&2; exit 1; }
	@env MAKEFLAGS= MFLAGS= $(MAKE) -C $(KDIR) M=$(CURDIR) C=2 W=1 modules \
		>$(SPARSE_OUT)/module.log 2>&1; rc=$$?; cat $(SPARSE_OUT)/module.log; \
	 [ $$rc -eq 0 ] || { echo "sparse: the module's C=2 build failed (exit $$rc)" >&2; exit 1; }; \
	 for f in $(filter-out %.mod.c,$(wildcard module/*.c)); do \
		grep -Eq "^  CHECK +($(CURDIR)/)?$$f\$$" $(SPARSE_OUT)/module.log || miss="$$miss $$f"; \
	 done; \
	 [ -z "$$miss" ] || { echo "sparse: no CHECK line for$$miss: sparse did not check them" >&2; exit 1; }

# checkpatch --strict over our sources.  compat.h exists to compare kernel
# versions, and knobs.h is an X-macro table (a macro that expands to a list,
# taking X and A more than once by design): the rules against exactly that
# are off for those two files alone.
CHECKPATCH = $(SRCTREE)/scripts/checkpatch.pl --no-tree --strict --terse -q
MODULE_SRC = $(filter-out %.mod.c,$(wildcard module/*.c)) \
	     $(filter-out module/compat.h module/knobs.h,$(wildcard module/*.h))
style:
	@{ $(CHECKPATCH) -f $(MODULE_SRC); \
	   $(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f module/compat.h; \
	   $(CHECKPATCH) --ignore COMPLEX_MACRO,MACRO_ARG_REUSE -f module/knobs.h; \
	 } | grep -v '^total: 0 errors, 0 warnings, 0 checks' | { ! grep .; }

# The release KDIR's headers are for (what uname -r says on that kernel).
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KMOD_ROOT = $(DESTDIR)/lib/modules/$(KVER)
# Where modules_install puts it (INSTALL_MOD_DIR/the path in modules.order).
MOD_DIR = $(KMOD_ROOT)/updates/module
# depmod for KVER (into DESTDIR's tree, if any): the whole tree where the
# kernel's modules are there; a staging DESTDIR holds only ours.
DEPMOD = set -e; b="$(if $(DESTDIR),-b $(DESTDIR))"; \
	 if [ -d $(KMOD_ROOT)/kernel ]; then depmod $$b -a $(KVER); \
	 else set -- $(MOD_DIR)/tcptune.ko*; [ -e "$$1" ] || set --; \
	      depmod $$b $(KVER) "$$@"; fi

kver-check:
	@test -n "$(KVER)" || { echo "no kernel headers at KDIR=$(KDIR) (no include/generated/utsrelease.h): install linux-headers-RELEASE, or pass KDIR=/lib/modules/RELEASE/build" >&2; exit 1; }

install: kver-check module cli
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		DEPMOD=true CONFIG_MODULE_SIG_ALL= modules_install
	@$(DEPMOD)
	$(MAKE) -C userspace-tools install

uninstall: kver-check
	rm -f $(MOD_DIR)/tcptune.ko $(MOD_DIR)/tcptune.ko.xz $(MOD_DIR)/tcptune.ko.zst \
	      $(MOD_DIR)/tcptune.ko.gz
	-rmdir $(MOD_DIR) $(KMOD_ROOT)/updates 2>/dev/null
	@if [ -d $(KMOD_ROOT) ]; then $(DEPMOD); fi
	$(MAKE) -C userspace-tools uninstall

# DKMS: the module's sources as DKMS builds them (dkms.conf), one list for
# dkms-install and for the tcptune-dkms package.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_KVER ?= $(shell uname -r)
DKMS_DIR = $(DESTDIR)/usr/src/tcptune-$(DKMS_VERSION)
DKMS_FILES = dkms.conf Kbuild module/Kbuild \
	     $(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h) \
	     $(wildcard include/uapi/linux/*.h)

dkms-src:
	@test -n "$(DKMS_VERSION)" || { echo "dkms.conf: no PACKAGE_VERSION=\"...\" line" >&2; exit 1; }
	rm -rf $(DKMS_DIR)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_DIR)/$$f || exit 1; done

dkms-install:
	@command -v dkms >/dev/null || { echo "dkms: not installed (apt-get install dkms)" >&2; exit 1; }
	@test -z "$(DESTDIR)" || { echo "dkms-install installs into this system: DESTDIR must be empty (make dkms-src DESTDIR=... copies the sources only)" >&2; exit 1; }
	@test -d /lib/modules/$(DKMS_KVER)/build || { echo "no kernel headers for $(DKMS_KVER) at /lib/modules/$(DKMS_KVER)/build (apt-get install linux-headers-$(DKMS_KVER))" >&2; exit 1; }
	@# a second run replaces the first: remove what DKMS has of this version
	if dkms status -m tcptune -v $(DKMS_VERSION) | grep -q .; then dkms remove -m tcptune -v $(DKMS_VERSION) --all; fi
	$(MAKE) dkms-src DESTDIR=
	dkms add -m tcptune -v $(DKMS_VERSION)
	dkms build -m tcptune -v $(DKMS_VERSION) -k $(DKMS_KVER)
	dkms install -m tcptune -v $(DKMS_VERSION) -k $(DKMS_KVER)

dkms-uninstall:
	@command -v dkms >/dev/null || { echo "dkms: not installed" >&2; exit 1; }
	if dkms status -m tcptune -v $(DKMS_VERSION) | grep -q .; then dkms remove -m tcptune -v $(DKMS_VERSION) --all; fi
	rm -rf /usr/src/tcptune-$(DKMS_VERSION)

# make check: everything; make check SUITE=tuning [FILTER=...]: one VM suite
# (or one test of it) alone, without set-up and host stage.
check:
	bash scripts/run-tests.sh $(if $(SUITE),--vm $(SUITE) $(FILTER))

demo:
	bash scripts/demo.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace-tools clean
	rm -rf build

.PHONY: all module cli install-cli sparse style install uninstall kver-check dkms-src dkms-install \
	dkms-uninstall check demo clean
