/* Disk images through qemu-img (create, info, resize, convert, internal
 * snapshots) and format detection from an image's first bytes.
 *
 * qemu-img runs as a child (argv + execvp, never a shell) with its stdout
 * and stderr captured. Nothing here overwrites an existing file: create and
 * convert write to a temporary name in the destination's folder and move it
 * into place only if the destination still does not exist. An image held
 * by a running QEMU (its image lock) gives an error saying it is in use by
 * a running VM.
 *
 * Every call blocks until qemu-img is done (a convert of a big image takes
 * a while: report progress, or run it on a thread of its own). It waits
 * for its own child by pid, so a SIGCHLD handler elsewhere must not reap
 * every child with waitpid(-1).
 *
 * Errors: functions returning bool or a pointer set *error to a malloc'd
 * message a person can act on (it names the file and what is accepted);
 * the caller frees it. They do not log. */
#ifndef VMPLAY_DISK_H
#define VMPLAY_DISK_H

#include "vm/config.h"   /* enum disk_format, disk_format_names[] */

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

/* The format of an existing image from its header: qcow2, vdi, vmdk (sparse
 * or a descriptor file), raw for a readable file with none of the known
 * headers, FORMAT_AUTO when the file cannot be read or holds a format
 * vmplay does not handle (qcow v1, vhdx, vpc, ...: let QEMU probe it).
 * Cheap (reads one block, no child process) and safe on an image a running
 * QEMU holds. */
enum disk_format disk_detect_format(const char *path);

/* "qcow2" -> FORMAT_QCOW2 etc.; "auto" is not accepted (false). */
bool disk_format_parse(const char *name, enum disk_format *out);
/* The format a file name's extension names: .qcow2, .raw and .img (raw),
 * .vdi, .vmdk (any case); false for any other name. */
bool disk_format_from_extension(const char *path, enum disk_format *out);
const char *disk_format_name(enum disk_format format);  /* "qcow2", ... */
/* Whether the format holds internal snapshots (only qcow2). */
bool disk_format_has_snapshots(enum disk_format format);

enum disk_prealloc {
	PREALLOC_DEFAULT,   /* pass nothing: the format's default (off) */
	PREALLOC_OFF,
	PREALLOC_METADATA,  /* qcow2 only */
	PREALLOC_FALLOC,
	PREALLOC_FULL,
};
extern const char *const disk_prealloc_names[];  /* indexed; NULL-terminated */
bool disk_prealloc_parse(const char *name, enum disk_prealloc *out);
/* Whether qemu-img 7.2 accepts this preallocation for this format. */
bool disk_prealloc_supported(enum disk_format format, enum disk_prealloc p);

struct disk_snapshot {
	char *id;              /* qemu's numeric id, as a string */
	char *name;
	int64_t date_sec;      /* wall clock when taken (Unix time) */
	uint64_t vm_clock_ns;  /* guest run time at the snapshot */
	uint64_t vm_state_size;  /* bytes of RAM state; 0 for disk-only */
};

struct disk_info {
	char *path;            /* as given */
	enum disk_format format;  /* FORMAT_AUTO for a format vmplay does not name */
	char *format_name;     /* qemu's name, always set ("qcow2", "vhdx", ...) */
	uint64_t virtual_size;
	uint64_t actual_size;  /* bytes used on the host; 0 if unknown */
	char *backing_file;    /* NULL when none */
	bool dirty;
	struct disk_snapshot *snapshots;
	size_t n_snapshots;
	char *json;            /* qemu-img info --output=json, verbatim */
};

enum disk_info_flags {
	DISK_INFO_DEFAULT = 0,
	/* Read even while a running VM holds the image (qemu-img -U): for
	 * showing sizes in the player; the figures may be a moment old. */
	DISK_INFO_SHARED = 1 << 0,
};

/* qemu-img info. NULL on failure (an image in use gives the "in use by a
 * running VM" message unless DISK_INFO_SHARED). */
struct disk_info *disk_info(const char *path, unsigned flags, char **error);
/* disk_info with qemu-img running in folder cwd (where a qcow2 image's
 * relative data file name is looked up); path should be absolute. */
struct disk_info *disk_info_in(const char *path, unsigned flags,
			       const char *cwd, char **error);
void disk_info_destroy(struct disk_info *info);     /* accepts NULL */
/* The snapshot with this name, or NULL. */
const struct disk_snapshot *disk_info_find_snapshot(const struct disk_info *info,
						    const char *name);

/* Why name cannot be a new snapshot's name: a snapshot has that name, or
 * that id (QEMU's loadvm and snapshot-load try a word as an id first, so
 * the new snapshot could never be loaded by its name). NULL when name is
 * free; else a malloc'd message naming the image. */
char *disk_info_name_taken(const struct disk_info *info, const char *name);

/* "2026-11-27 10:42:05" (local time) and "01:02:03.456" (guest run time)
 * of a snapshot, into buf (>= 32 bytes); return buf. */
const char *disk_snapshot_date(const struct disk_snapshot *s, char *buf,
			       size_t len);
const char *disk_snapshot_clock(const struct disk_snapshot *s, char *buf,
				size_t len);
/* Prints the snapshots as an indented table with a header line (name,
 * date, VM clock, RAM state size); nothing when there are none. */
void disk_snapshots_print(FILE *out, const struct disk_info *info);

/* Creates a new image of size bytes. Refuses an existing path (its bytes
 * are untouched) and a preallocation the format does not support; format
 * must not be FORMAT_AUTO. Leaves nothing behind on failure. */
bool disk_create(const char *path, enum disk_format format, uint64_t size,
		 enum disk_prealloc prealloc, char **error);

/* Creates a new qcow2 image at path whose unwritten data comes from
 * backing (a linked clone: qemu-img create -b, the backing file named by
 * its absolute path); backing_format FORMAT_AUTO detects it. The backing
 * image must stay unchanged for the new one to stay valid. Refuses an
 * existing path; leaves nothing behind on failure. */
bool disk_create_linked(const char *path, const char *backing,
			enum disk_format backing_format, char **error);

/* Sets the virtual size. Shrinking (size below the current virtual size)
 * is refused unless allow_shrink; shrinking can destroy data. */
bool disk_resize(const char *path, uint64_t size, bool allow_shrink,
		 char **error);

/* Called while convert runs with the percentage done (0..100). */
typedef void (*disk_progress_fn)(double percent, void *userdata);

/* Converts src into a new image dst of the given format (not AUTO). dst
 * must not exist; a failed or interrupted conversion leaves no dst and no
 * temporary file. progress may be NULL. */
bool disk_convert(const char *src, const char *dst, enum disk_format format,
		  disk_progress_fn progress, void *userdata, char **error);

/* The image's virtual size as qemu-img reports it (it rounds a new
 * image up to whole sectors), 0 when it cannot be read. */
uint64_t disk_virtual_size(const char *path);

/* Internal snapshots of a qcow2 image while no VM runs it (qemu-img
 * snapshot). create refuses a name that exists already (as a name or as a
 * snapshot id: qemu-img picks either); apply and delete need the name to
 * exist. A format without snapshots gets an error naming the image. */
bool disk_snapshot_create(const char *path, const char *name, char **error);
bool disk_snapshot_apply(const char *path, const char *name, char **error);
bool disk_snapshot_delete(const char *path, const char *name, char **error);

/* Stops the qemu-img child running now, if any (SIGTERM). Async-signal
 * safe: a SIGINT/SIGTERM handler calls it so that an interrupted convert
 * still cleans up its temporary file. */
void disk_cancel(void);

#endif
