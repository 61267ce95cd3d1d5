# The test guest (tests/guest): a freestanding 32-bit multiboot kernel built
# with the host gcc, used by the end-to-end tests. It is not linked into
# vmplay, and -Werror always applies to it.
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
all: $(GUEST_ELF)
CHECK_DEPS += $(GUEST_ELF)
