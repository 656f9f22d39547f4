/* kefu-upload.h — a request body streamed to a file off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KEFU_TYPE_UPLOAD (kefu_upload_get_type ())
G_DECLARE_FINAL_TYPE (KefuUpload, kefu_upload, KEFU, UPLOAD, GObject)

/* How many leading bytes kefu_upload_peek_head() keeps (enough for any file-type magic). */
#define KEFU_UPLOAD_HEAD_BYTES 16

/* Streams @msg's request body into a new file in @dir as it arrives: libsoup stops keeping the
 * body in memory, each chunk goes to the one upload writer thread, which writes it and adds it
 * to a SHA-256; reading pauses while more than a few MiB wait for the disk. Call from the
 * message's "got-headers". The upload is kept on @msg (kefu_upload_get_for_message()); if the
 * message goes away unfinished, its file is removed. */
KefuUpload    *kefu_upload_attach               (SoupServerMessage  *msg,
                                                 const char         *dir);
KefuUpload    *kefu_upload_get_for_message      (SoupServerMessage  *msg);

guint64        kefu_upload_get_size             (KefuUpload         *self);
const guint8  *kefu_upload_peek_head            (KefuUpload         *self,
                                                 gsize              *len);

/* Once the body is in: fsync the file, name it by its SHA-256 in the directory (an existing
 * file of the same name is the same bytes and is kept), fsync the directory. */
void           kefu_upload_finish_async         (KefuUpload         *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* Returns the SHA-256 (hex), i.e. the file's name in the directory. */
char          *kefu_upload_finish_finish        (KefuUpload         *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
/* The body is refused: remove the file. */
void           kefu_upload_abort                (KefuUpload         *self);

/* Removes the unfinished files a crash left in @dir. */
void           kefu_upload_clean_stale          (const char         *dir);

G_END_DECLS
