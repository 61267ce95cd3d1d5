# The Linux test guest (tests/linux-guest/README.md): Debian's kernel and
# busybox from the package archive, two small static programs of ours, an
# initramfs. Built once and cached in $(BUILD)/linux-guest (the .deb files
# stay there; nothing is committed).
LINUX_GUEST := $(BUILD)/linux-guest
LINUX_GUEST_CFLAGS := -std=gnu11 -O2 -static -Wall -Wextra -Werror \
	-I/usr/include/libdrm

$(LINUX_GUEST)/bin/%: tests/linux-guest/%.c
	@mkdir -p $(@D)
	$(CC) $(LINUX_GUEST_CFLAGS) -o $@ $<

$(LINUX_GUEST)/initrd.img: tests/linux-guest/build.sh tests/linux-guest/init \
		$(LINUX_GUEST)/bin/vdagent $(LINUX_GUEST)/bin/kms
	tests/linux-guest/build.sh $(LINUX_GUEST) $(LINUX_GUEST)/bin/vdagent \
		$(LINUX_GUEST)/bin/kms

.PHONY: linux-guest
linux-guest: $(LINUX_GUEST)/initrd.img
CHECK_DEPS += $(LINUX_GUEST)/initrd.img
