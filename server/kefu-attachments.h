/* kefu-attachments.h — attachment files: types, magic, limits and storage (issue 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The most bytes an attachment of @content_type may have; 0 when the type is not allowed
 * (image/jpeg, image/png, image/webp, application/pdf: 20 MiB; video/mp4, video/quicktime:
 * 200 MiB). */
gint64    kefu_attachment_max_bytes   (const char   *content_type);
/* Whether @data starts with the magic of @content_type (lower case). */
gboolean  kefu_attachment_sniff       (const char   *content_type,
                                       const guint8 *data,
                                       gsize         len);
/* DATA_DIR/attachments/<sha256>. */
char     *kefu_attachment_path        (const char   *data_dir,
                                       const char   *sha256);
/* From the guard's admit function, once the caller may upload: stream the body of a
 * POST /tickets/{n}/attachments to a file instead of memory. Other requests: nothing. */
void      kefu_attachments_prepare_upload (SoupServerMessage *msg,
                                           const char        *data_dir);
/* The HTTP guard's per-request body limit (KefuHttpGuardLimitFunc): the type's limit for
 * POST /api/v1/tickets/{n}/attachments, 0 (the default) for anything else. */
gsize     kefu_attachments_body_limit (SoupServerMessage *msg,
                                       gpointer           user_data);

G_END_DECLS
