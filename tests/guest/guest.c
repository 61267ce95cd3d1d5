/* The vmplay test guest: a freestanding 32-bit kernel that draws a known
 * picture through the Bochs VBE framebuffer, records keyboard bytes in a
 * status area readable from pixels, switches modes, animates, and powers
 * off on request. tests/guest/README.md is the exact contract; ppm.py in
 * tests/e2e mirrors the drawing rules, so change both together. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- port I/O ---------------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* ---- serial (COM1) ------------------------------------------------------ */

#define COM1 0x3F8

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* divisor latch */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xC7);	/* FIFO on, cleared */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void serial_puts(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

static void serial_dec(uint32_t v)
{
	char buf[11];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		serial_putc(buf[--n]);
}

static void serial_hex2(uint8_t v)
{
	static const char digits[] = "0123456789abcdef";
	serial_putc(digits[v >> 4]);
	serial_putc(digits[v & 15]);
}

static void serial_size_line(const char *what, uint32_t w, uint32_t h)
{
	serial_puts(what);
	serial_dec(w);
	serial_putc('x');
	serial_dec(h);
	serial_putc('\n');
}

static void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void fatal(const char *msg)
{
	serial_puts("error ");
	serial_puts(msg);
	serial_putc('\n');
	halt_forever();
}

/* ---- interrupts ----------------------------------------------------------- */

struct isr_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type;
	uint16_t offset_hi;
} __attribute__((packed));

struct idt_desc {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

extern const uint32_t isr_table[48];
static struct idt_entry idt[48];

#define PIT_HZ 300u
#define TICKS_PER_FRAME 10u	/* 30 frames/s */
#define KEY_RING 256u

static volatile uint32_t ticks;
static volatile uint8_t key_ring[KEY_RING];
static volatile uint32_t key_head, key_tail;	/* head: IRQ writes */

void isr_dispatch(struct isr_frame *f);

void isr_dispatch(struct isr_frame *f)
{
	if (f->vector < 32) {
		serial_puts("error exception ");
		serial_dec(f->vector);
		serial_puts(" at eip ");
		for (int s = 24; s >= 0; s -= 8)
			serial_hex2((uint8_t)(f->eip >> s));
		serial_putc('\n');
		halt_forever();
	}
	if (f->vector == 32) {
		ticks++;
	} else if (f->vector == 33) {
		/* Status bit 0: a byte is waiting; bit 5: it came from the
		 * mouse (not enabled, but never count one as a key). */
		uint8_t st;
		while ((st = inb(0x64)) & 0x01) {
			uint8_t b = inb(0x60);
			if (st & 0x20)
				continue;
			if (key_head - key_tail < KEY_RING)
				key_ring[key_head++ % KEY_RING] = b;
		}
	} else if (f->vector == 39) {
		return;	/* spurious IRQ7: no EOI */
	}
	if (f->vector >= 40)
		outb(0xA0, 0x20);
	outb(0x20, 0x20);
}

static void idt_init(void)
{
	for (int i = 0; i < 48; i++) {
		idt[i].offset_lo = (uint16_t)(isr_table[i] & 0xFFFF);
		idt[i].offset_hi = (uint16_t)(isr_table[i] >> 16);
		idt[i].selector = 0x08;
		idt[i].zero = 0;
		idt[i].type = 0x8E;	/* present, ring 0, 32-bit interrupt gate */
	}
	struct idt_desc d = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(d));
}

static void pic_init(void)
{
	/* IRQ 0-7 -> vectors 32-39, IRQ 8-15 -> 40-47; only the timer and
	 * the keyboard unmasked. */
	outb(0x20, 0x11);
	outb(0xA0, 0x11);
	outb(0x21, 0x20);
	outb(0xA1, 0x28);
	outb(0x21, 0x04);
	outb(0xA1, 0x02);
	outb(0x21, 0x01);
	outb(0xA1, 0x01);
	outb(0x21, 0xFC);
	outb(0xA1, 0xFF);
}

static void pit_init(void)
{
	uint16_t divisor = (uint16_t)(1193182u / PIT_HZ);
	outb(0x43, 0x34);	/* channel 0, lo/hi byte, rate generator */
	outb(0x40, (uint8_t)(divisor & 0xFF));
	outb(0x40, (uint8_t)(divisor >> 8));
}

/* ---- i8042 ------------------------------------------------------------------ */

static bool kbc_wait_write(void)
{
	for (int i = 0; i < 100000; i++)
		if (!(inb(0x64) & 0x02))
			return true;
	return false;
}

static bool kbc_wait_read(void)
{
	for (int i = 0; i < 100000; i++)
		if (inb(0x64) & 0x01)
			return true;
	return false;
}

static void kbc_init(void)
{
	/* The BIOS normally leaves this set up; make sure the keyboard port
	 * is on, raises IRQ1 and translates to set 1, and the mouse's IRQ12
	 * is off. */
	while (inb(0x64) & 0x01)
		(void)inb(0x60);
	if (!kbc_wait_write())
		return;
	outb(0x64, 0x20);
	if (!kbc_wait_read())
		return;
	uint8_t cb = inb(0x60);
	cb = (uint8_t)((cb | 0x01 | 0x40) & ~(0x02 | 0x10));
	if (!kbc_wait_write())
		return;
	outb(0x64, 0x60);
	if (!kbc_wait_write())
		return;
	outb(0x60, cb);
	if (kbc_wait_write())
		outb(0x64, 0xAE);	/* enable the keyboard port */
}

/* ---- PCI and Bochs VBE ------------------------------------------------------ */

static uint32_t pci_read(uint32_t bus, uint32_t dev, uint32_t fn, uint32_t reg)
{
	outl(0xCF8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC));
	return inl(0xCFC);
}

static uint32_t find_framebuffer(void)
{
	for (uint32_t bus = 0; bus < 8; bus++)
		for (uint32_t dev = 0; dev < 32; dev++)
			if (pci_read(bus, dev, 0, 0) == 0x11111234u)
				return pci_read(bus, dev, 0, 0x10) & ~0xFu;
	return 0;
}

#define VBE_INDEX 0x1CE
#define VBE_DATA 0x1CF

static void vbe_write(uint16_t index, uint16_t value)
{
	outw(VBE_INDEX, index);
	outw(VBE_DATA, value);
}

static uint16_t vbe_read(uint16_t index)
{
	outw(VBE_INDEX, index);
	return inw(VBE_DATA);
}

/* ---- drawing ------------------------------------------------------------------ */

#define CELL 16
#define STATUS_CELLS 14
#define STATUS_W (CELL * STATUS_CELLS)
#define MARK 16
#define KEY_SLOTS 8
#define GRID_STEP 32

#define RGB(r, g, b) ((uint32_t)(r) << 16 | (uint32_t)(g) << 8 | (uint32_t)(b))
#define COLOR_TL RGB(255, 0, 128)
#define COLOR_TR RGB(0, 255, 128)
#define COLOR_BL RGB(128, 0, 255)
#define COLOR_BR RGB(255, 128, 0)
#define COLOR_BORDER RGB(0x20, 0x40, 0xFF)
#define COLOR_GRID RGB(0x80, 0x80, 0x80)

static const uint32_t bar_colors[8] = {
	RGB(255, 255, 255), RGB(255, 255, 0), RGB(0, 255, 255), RGB(0, 255, 0),
	RGB(255, 0, 255), RGB(255, 0, 0), RGB(0, 0, 255), RGB(0, 0, 0),
};

struct mode {
	uint8_t scancode;
	uint16_t width, height;
};

static const struct mode modes[] = {
	{ 0x02, 640, 480 }, { 0x03, 800, 600 }, { 0x04, 1024, 768 },
	{ 0x05, 1000, 700 }, { 0x06, 1920, 1080 }, { 0x07, 720, 400 },
	{ 0x08, 2560, 1440 },	/* 14.1 MiB: fits the std VGA's 16 MiB */
};

static struct {
	volatile uint32_t *fb;
	uint32_t width, height, pitch;	/* pitch in pixels */
	uint8_t keys[KEY_SLOTS];	/* most recent first */
	uint32_t key_count;		/* bytes ever received */
	bool anim;
	uint32_t frame;
	uint32_t next_frame_tick;
} g;

static void fill_cell(uint32_t i, uint32_t color)
{
	for (uint32_t y = 0; y < CELL; y++) {
		volatile uint32_t *p = g.fb + y * g.pitch + i * CELL;
		for (uint32_t x = 0; x < CELL; x++)
			p[x] = color;
	}
}

static void draw_status(void)
{
	uint32_t n = g.key_count, cell = 0;
	fill_cell(cell++, COLOR_TL);
	for (uint32_t s = 0; s < KEY_SLOTS; s++) {
		if (s < n)
			fill_cell(cell++, RGB(g.keys[s], 0xA0 | s, 0x5A));
		else
			fill_cell(cell++, RGB(0, 0x20 | s, 0x5A));
	}
	fill_cell(cell++, RGB(n & 255, (n >> 8) & 255, 0xC3));
	fill_cell(cell++, RGB(g.width >> 8, g.width & 255, 0x3C));
	fill_cell(cell++, RGB(g.height >> 8, g.height & 255, 0x3D));
	fill_cell(cell++, RGB(g.anim ? 1 : 0, g.frame & 255, 0x99));
	fill_cell(cell++, RGB(0x5A, 0xA5, 0x0F));
}

/* The still picture, rule by rule as README.md lists them (later steps
 * here overwrite earlier ones, so they run in reverse priority). */
static void draw_picture(void)
{
	uint32_t w = g.width, h = g.height;
	for (uint32_t y = 0; y < h; y++) {
		volatile uint32_t *row = g.fb + y * g.pitch;
		if (y % GRID_STEP == 0) {
			for (uint32_t x = 0; x < w; x++)
				row[x] = COLOR_GRID;
		} else if (y < h / 2) {
			for (uint32_t x = 0; x < w; x++)
				row[x] = bar_colors[x * 8 / w];
		} else {
			uint32_t g8 = y & 255, yb = (y >> 8) & 7;
			for (uint32_t x = 0; x < w; x++)
				row[x] = RGB(x & 255, g8,
					     0x80 | ((x >> 8) & 7) << 3 | yb);
		}
		if (y % GRID_STEP != 0)
			for (uint32_t x = 0; x < w; x += GRID_STEP)
				row[x] = COLOR_GRID;
		if (y == 0 || y == h - 1) {
			for (uint32_t x = 0; x < w; x++)
				row[x] = COLOR_BORDER;
		} else {
			row[0] = COLOR_BORDER;
			row[w - 1] = COLOR_BORDER;
		}
		if (y < MARK || y >= h - MARK) {
			uint32_t left = y < MARK ? COLOR_TL : COLOR_BL;
			uint32_t right = y < MARK ? COLOR_TR : COLOR_BR;
			for (uint32_t x = 0; x < MARK; x++) {
				row[x] = left;
				row[w - MARK + x] = right;
			}
		}
	}
	draw_status();
}

/* Frame f: every pixel outside the status area changes each frame. */
static void draw_frame(void)
{
	uint32_t f = g.frame, w = g.width, h = g.height;
	uint32_t b = f & 255;
	for (uint32_t y = 0; y < h; y++) {
		volatile uint32_t *row = g.fb + y * g.pitch;
		uint32_t gb = ((y + 2 * f) & 255) << 8 | b;
		uint32_t x = y < CELL ? STATUS_W : 0;
		uint32_t r = (x + 4 * f) & 255;
		for (; x < w; x++) {
			row[x] = r << 16 | gb;
			r = (r + 1) & 255;
		}
	}
	draw_status();
}

static bool set_mode(uint32_t w, uint32_t h)
{
	vbe_write(4, 0);
	vbe_write(1, (uint16_t)w);
	vbe_write(2, (uint16_t)h);
	vbe_write(3, 32);
	vbe_write(4, 0x41);	/* enabled, linear framebuffer */
	if (vbe_read(1) != w || vbe_read(2) != h) {
		serial_puts("error mode ");
		serial_size_line("", w, h);
		return false;
	}
	g.width = w;
	g.height = h;
	g.pitch = vbe_read(6);	/* virtual width: pixels per line */
	return true;
}

/* ---- events ------------------------------------------------------------------- */

static void power_off(void)
{
	serial_puts("poweroff\n");
	/* ACPI PM1a control (pc and q35 under SeaBIOS): SLP_TYP S5 + SLP_EN. */
	outw(0x604, 0x2000);
	/* QEMU acts on the request from its main loop, a moment later: give
	 * it a second before calling it a failure. */
	uint32_t start = ticks;
	while (ticks - start < PIT_HZ)
		__asm__ volatile("sti; hlt");
	fatal("poweroff did not stop the machine");
}

static void toggle_animation(void)
{
	g.anim = !g.anim;
	if (g.anim) {
		g.frame = 0;
		draw_frame();
		g.next_frame_tick = ticks + TICKS_PER_FRAME;
		serial_puts("anim on\n");
	} else {
		draw_picture();
		serial_puts("anim off\n");
	}
}

static void handle_byte(uint8_t b, bool after_e0)
{
	for (uint32_t s = KEY_SLOTS - 1; s > 0; s--)
		g.keys[s] = g.keys[s - 1];
	g.keys[0] = b;
	g.key_count++;
	draw_status();
	serial_puts("key ");
	serial_hex2(b);
	serial_putc('\n');
	if (after_e0)
		return;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (modes[i].scancode != b)
			continue;
		if (set_mode(modes[i].width, modes[i].height)) {
			if (g.anim)
				draw_frame();
			else
				draw_picture();
			serial_size_line("mode ", g.width, g.height);
		}
		return;
	}
	if (b == 0x1E)
		toggle_animation();
	else if (b == 0x19)
		power_off();
}

/* ---- the disk (write-disk on the command line) ------------------------ */

/* The primary ATA channel of machine pc (PIIX IDE), legacy ports. */
#define ATA_DATA 0x1F0
#define ATA_COUNT 0x1F2
#define ATA_LBA0 0x1F3
#define ATA_LBA1 0x1F4
#define ATA_LBA2 0x1F5
#define ATA_DRIVE 0x1F6
#define ATA_CMD 0x1F7   /* status when read */
#define ATA_CTRL 0x3F6
#define ATA_BSY 0x80
#define ATA_DRQ 0x08
#define ATA_ERR 0x01
#define DISK_SECTORS 8

/* Waits until not busy; false on an error or a missing drive. */
static bool ata_wait(bool want_drq)
{
	for (uint32_t spin = 0; spin < 10000000; spin++) {
		uint8_t st = inb(ATA_CMD);
		if (st == 0xFF)
			return false;
		if (st & ATA_BSY)
			continue;
		if (st & ATA_ERR)
			return false;
		if (!want_drq || (st & ATA_DRQ))
			return true;
	}
	return false;
}

/* Fills the first DISK_SECTORS sectors of the primary master with the
 * text of DISK_MARK and flushes, polling (no interrupt): what the tests
 * look for in the image file to see where the guest's writes went. */
#define DISK_MARK "vmplay-test-guest wrote this sector.\n"
static void write_disk(void)
{
	static const char mark[] = DISK_MARK;
	outb(ATA_CTRL, 0x02);   /* no interrupts */
	outb(ATA_DRIVE, 0xE0);  /* master, LBA */
	if (!ata_wait(false)) {
		serial_puts("error disk: no drive on the primary IDE channel\n");
		return;
	}
	outb(ATA_COUNT, DISK_SECTORS);
	outb(ATA_LBA0, 0);
	outb(ATA_LBA1, 0);
	outb(ATA_LBA2, 0);
	outb(ATA_CMD, 0x30);    /* WRITE SECTORS */
	for (uint32_t s = 0; s < DISK_SECTORS; s++) {
		if (!ata_wait(true)) {
			serial_puts("error disk: write refused\n");
			return;
		}
		for (uint32_t i = 0; i < 512; i += 2) {
			uint32_t a = i % (sizeof(mark) - 1);
			uint32_t b = (i + 1) % (sizeof(mark) - 1);
			outw(ATA_DATA, (uint16_t)((uint8_t)mark[a] |
						  (uint8_t)mark[b] << 8));
		}
	}
	if (!ata_wait(false)) {
		serial_puts("error disk: write failed\n");
		return;
	}
	outb(ATA_CMD, 0xE7);    /* FLUSH CACHE */
	if (!ata_wait(false)) {
		serial_puts("error disk: flush failed\n");
		return;
	}
	serial_puts("disk written\n");
}

/* Whether the multiboot command line has word. */
static bool cmdline_has(uint32_t magic, const uint32_t *info, const char *word)
{
	if (magic != 0x2BADB002 || !info || !(info[0] & 4))
		return false;
	const char *p = (const char *)(uintptr_t)info[4];
	for (; *p; p++) {
		const char *a = p, *w = word;
		while (*w && *a == *w) {
			a++;
			w++;
		}
		if (!*w && (*a == 0 || *a == ' '))
			return true;
	}
	return false;
}

void guest_main(uint32_t magic, const uint32_t *info);

void guest_main(uint32_t magic, const uint32_t *info)
{
	serial_init();
	serial_puts("boot vmplay-test-guest 1\n");
	uint32_t fb = find_framebuffer();
	if (!fb)
		fatal("no Bochs VGA (PCI 1234:1111): start QEMU with -vga std");
	uint16_t id = vbe_read(0);
	if (id < 0xB0C0 || id > 0xB0CF)
		fatal("no Bochs VBE interface at port 0x1CE");
	g.fb = (volatile uint32_t *)(uintptr_t)fb;
	idt_init();
	pic_init();
	pit_init();
	kbc_init();
	if (!set_mode(640, 480))
		fatal("cannot set 640x480x32");
	draw_picture();
	serial_size_line("ready ", g.width, g.height);
	if (cmdline_has(magic, info, "write-disk"))
		write_disk();
	__asm__ volatile("sti");

	bool after_e0 = false;
	for (;;) {
		/* Sleep until an interrupt unless there is work; "sti; hlt"
		 * does not lose an interrupt arriving in between. */
		__asm__ volatile("cli");
		bool key = key_tail != key_head;
		bool frame = g.anim && (int32_t)(ticks - g.next_frame_tick) >= 0;
		if (!key && !frame) {
			__asm__ volatile("sti; hlt");
			continue;
		}
		__asm__ volatile("sti");
		while (key_tail != key_head) {
			uint8_t b = key_ring[key_tail % KEY_RING];
			key_tail++;
			handle_byte(b, after_e0);
			after_e0 = b == 0xE0;
		}
		if (g.anim && (int32_t)(ticks - g.next_frame_tick) >= 0) {
			g.frame++;
			draw_frame();
			/* A late frame pushes the next one back, no catch-up. */
			g.next_frame_tick += TICKS_PER_FRAME;
			if ((int32_t)(ticks - g.next_frame_tick) >= 0)
				g.next_frame_tick = ticks + TICKS_PER_FRAME;
		}
	}
}
