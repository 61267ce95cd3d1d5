# Programs only the tests run (make check builds them; make and make
# install do not).

# The test guest (tests/guest): a freestanding 32-bit multiboot kernel built
# with the host gcc, used by the end-to-end tests and make bench. It is not
# linked into vmplay, and -Werror always applies to it.
GUEST_ELF := $(BUILD)/guest/vmplay-test-guest.elf
GUEST_CFLAGS := -std=c11 -m32 -march=i686 -O2 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	-fno-tree-loop-distribute-patterns -mgeneral-regs-only \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
GUEST_LDFLAGS := -m elf_i386 -nostdlib -static -z noexecstack \
	--no-warn-rwx-segments -T tests/guest/link.ld

$(BUILD)/guest/%.o: tests/guest/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guest/%.o: tests/guest/%.S
	@mkdir -p $(@D)
	$(CC) -m32 -fno-pic -c -o $@ $<

$(GUEST_ELF): $(BUILD)/guest/boot.o $(BUILD)/guest/guest.o tests/guest/link.ld
	$(LD) $(GUEST_LDFLAGS) -o $@ $(BUILD)/guest/boot.o $(BUILD)/guest/guest.o

.PHONY: guest
guest: $(GUEST_ELF)

# Drivers linked with vmplay's own objects: the menu actions' headless
# driver (tests/e2e/test_actions.sh) and the overlay's stand-in player
# (tests/e2e/test_overlay_x11.sh).
TEST_DRIVERS := $(BUILD)/tests/actions-driver $(BUILD)/tests/overlay-demo
$(BUILD)/tests/actions-driver: tests/actions/actions_driver.c $(LIB_OBJS)
$(BUILD)/tests/overlay-demo: tests/overlay/overlay_demo.c $(LIB_OBJS)
$(TEST_DRIVERS):
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

# Sends WM_DELETE_WINDOW (a window manager's close button) to a window,
# which xdotool 3.2016 cannot do.
$(BUILD)/tests/player_xclose: tests/e2e/player_xclose.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -o $@ $< -lX11

CHECK_DEPS += $(GUEST_ELF) $(TEST_DRIVERS) $(BUILD)/tests/player_xclose
