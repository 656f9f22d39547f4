/* kefu-attachments-section.h — the evidence of one ticket: photos, videos and PDFs
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

/* The server's limits (docs/protocol.md): the types it stores, and their sizes. */
#define KEFU_ATTACHMENT_MAX_IMAGE_BYTES (20 * 1024 * 1024)
#define KEFU_ATTACHMENT_MAX_VIDEO_BYTES (200 * 1024 * 1024)
#define KEFU_ATTACHMENT_MAX_PER_TICKET  50

/* The MIME type the server stores for @content_type (a GIO content type or MIME type), or NULL
 * when it takes no such file. */
const char *kefu_attachment_accepted_type   (const char      *content_type);
/* The largest size the server takes for @mime_type (one of the accepted). */
goffset     kefu_attachment_max_size        (const char      *mime_type);
/* A filter for the file chooser with the accepted types. */
GtkFileFilter *kefu_attachment_file_filter  (void);

/* Reads @file and uploads it to ticket @number (POST /tickets/{n}/attachments?name=F with the
 * file's type); refuses before reading a file of a type or size the server would refuse
 * (G_IO_ERROR_NOT_SUPPORTED, G_IO_ERROR_NO_SPACE with a message fit for people). The answer
 * is the attachment object. */
void        kefu_attachment_upload_async    (KefuConnection      *connection,
                                             const char          *number,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonNode   *kefu_attachment_upload_finish   (GAsyncResult        *result,
                                             GError             **error);

#define KEFU_TYPE_ATTACHMENTS_SECTION (kefu_attachments_section_get_type ())
G_DECLARE_FINAL_TYPE (KefuAttachmentsSection, kefu_attachments_section, KEFU,
                      ATTACHMENTS_SECTION, GtkBox)

/* The ticket's attachments as a flow of tiles: a thumbnail for images (downloaded, scaled off
 * the main thread, kept per id), an icon for videos and PDFs, the name and size. Actions (group
 * "attachments"): add (a file chooser; several files at once) and open with the attachment id
 * (int64): saved in the user's cache directory and opened with the desktop's viewer. */
GtkWidget  *kefu_attachments_section_new            (void);

void        kefu_attachments_section_set_connection (KefuAttachmentsSection *self,
                                                     KefuConnection         *connection);
void        kefu_attachments_section_set_ticket     (KefuAttachmentsSection *self,
                                                     KefuTicket             *ticket);
gboolean    kefu_attachments_section_is_relevant    (KefuAttachmentsSection *self);
/* Uploads the files one after the other, as "Add…" does once files are chosen. */
void        kefu_attachments_section_upload_files   (KefuAttachmentsSection *self,
                                                     GList                  *files);
/* For tests: whether uploads are running; the last upload error shown (or NULL); whether the
 * tile of attachment @id shows its thumbnail; the number of tiles. */
gboolean    kefu_attachments_section_is_uploading   (KefuAttachmentsSection *self);
const char *kefu_attachments_section_get_error      (KefuAttachmentsSection *self);
gboolean    kefu_attachments_section_has_thumbnail  (KefuAttachmentsSection *self,
                                                     gint64                  id);
guint       kefu_attachments_section_get_n_tiles    (KefuAttachmentsSection *self);
/* Saves attachment @id in the cache directory and returns the file (for "open"). */
void        kefu_attachments_section_save_async     (KefuAttachmentsSection *self,
                                                     gint64                  id,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
GFile      *kefu_attachments_section_save_finish    (KefuAttachmentsSection *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);

G_END_DECLS
