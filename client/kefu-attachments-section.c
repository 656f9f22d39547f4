/* kefu-attachments-section.c — the evidence of one ticket: photos, videos and PDFs
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-attachments-section"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "kefu-attachments-section.h"
#include "kefu-permissions.h"
#include "kefu-workflow.h"

#define THUMBNAIL_SIZE 96

static const char * const accepted_types[] = {
  "image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime", "application/pdf",
};

const char *
kefu_attachment_accepted_type (const char *content_type)
{
  g_autofree char *mime = NULL;

  if (content_type == NULL)
    return NULL;
  mime = g_content_type_get_mime_type (content_type);
  for (guint i = 0; i < G_N_ELEMENTS (accepted_types); i++)
    {
      if (g_strcmp0 (mime, accepted_types[i]) == 0 ||
          g_strcmp0 (content_type, accepted_types[i]) == 0)
        return accepted_types[i];
    }
  return NULL;
}

goffset
kefu_attachment_max_size (const char *mime_type)
{
  if (g_str_has_prefix (mime_type, "video/"))
    return KEFU_ATTACHMENT_MAX_VIDEO_BYTES;
  return KEFU_ATTACHMENT_MAX_IMAGE_BYTES;
}

GtkFileFilter *
kefu_attachment_file_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Photos, Videos and PDFs"));
  for (guint i = 0; i < G_N_ELEMENTS (accepted_types); i++)
    gtk_file_filter_add_mime_type (filter, accepted_types[i]);
  return filter;
}

/* ---- uploading one file ------------------------------------------------------------------- */

typedef struct {
  KefuConnection *connection;
  char           *number;
  GFile          *file;
  char           *name;
  const char     *mime;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->connection);
  g_clear_object (&upload->file);
  g_free (upload->number);
  g_free (upload->name);
  g_free (upload);
}

static void
upload_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *answer = kefu_connection_upload_finish (KEFU_CONNECTION (object), result, &error);

  if (answer == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                     _("The server did not answer with the attachment."));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
upload_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *escaped_number = NULL;
  g_autofree char *escaped_name = NULL;
  g_autofree char *path = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_take (contents, length);
  if ((goffset) length > kefu_attachment_max_size (upload->mime))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("“%s” is too large to attach."), upload->name);
      return;
    }

  escaped_number = g_uri_escape_string (upload->number, NULL, FALSE);
  escaped_name = g_uri_escape_string (upload->name, NULL, FALSE);
  path = g_strdup_printf ("/tickets/%s/attachments?name=%s", escaped_number, escaped_name);
  kefu_connection_upload_async (upload->connection, path, upload->mime, bytes,
                                g_task_get_cancellable (task), upload_sent_cb,
                                g_object_ref (task));
}

static void
upload_info_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  g_autofree char *max_text = NULL;

  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  upload->name = g_strdup (g_file_info_get_display_name (info));
  upload->mime = kefu_attachment_accepted_type (g_file_info_get_content_type (info));
  if (upload->mime == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” cannot be attached: only photos (JPEG, PNG, WebP), "
                                 "videos (MP4, QuickTime) and PDFs are taken."), upload->name);
      return;
    }
  if (g_file_info_get_size (info) > kefu_attachment_max_size (upload->mime))
    {
      max_text = g_format_size (kefu_attachment_max_size (upload->mime));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("“%s” is too large: at most %s for this kind of file."),
                               upload->name, max_text);
      return;
    }

  g_file_load_contents_async (upload->file, g_task_get_cancellable (task), upload_loaded_cb,
                              g_object_ref (task));
}

void
kefu_attachment_upload_async (KefuConnection      *connection,
                              const char          *number,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Upload *upload;

  g_return_if_fail (KEFU_IS_CONNECTION (connection));
  g_return_if_fail (number != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_attachment_upload_async);
  upload = g_new0 (Upload, 1);
  upload->connection = g_object_ref (connection);
  upload->number = g_strdup (number);
  upload->file = g_object_ref (file);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                           upload_info_cb, g_steal_pointer (&task));
}

JsonNode *
kefu_attachment_upload_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_attachment_upload_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the section -------------------------------------------------------------------------- */

struct _KefuAttachmentsSection
{
  GtkBox           parent_instance;

  KefuConnection  *connection;
  KefuTicket      *ticket;
  GCancellable    *cancellable;
  GHashTable      *thumbnails;     /* id → GdkTexture (the cache) */
  GHashTable      *loading;        /* ids whose thumbnail is being made */
  GHashTable      *pictures;       /* id → GtkPicture of the shown tile (borrowed) */
  GQueue           queue;          /* of GFile, to upload */
  GtkNativeDialog *chooser;
  char            *error;
  guint            uploading : 1;

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkWidget       *add_button;
  GtkFlowBox      *flow;
  GtkWidget       *progress_box;
  GtkSpinner      *progress_spinner;
  GtkLabel        *progress_label;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (KefuAttachmentsSection, kefu_attachments_section, GTK_TYPE_BOX)

static void update (KefuAttachmentsSection *self);

static gboolean
is_image (const KefuAttachment *a)
{
  return a->content_type != NULL && g_str_has_prefix (a->content_type, "image/");
}

static const char *
icon_for (const KefuAttachment *a)
{
  if (is_image (a))
    return "image-x-generic-symbolic";
  if (a->content_type != NULL && g_str_has_prefix (a->content_type, "video/"))
    return "video-x-generic-symbolic";
  return "x-office-document-symbolic";
}

/* Scaling runs in a worker thread: a 20 MiB photo takes a while to decode. */
static void
scale_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2,
                                                TRUE, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, pixbuf, g_object_unref);
}

typedef struct {
  KefuAttachmentsSection *self;
  gint64                  id;
} Thumb;

static void
thumb_free (Thumb *thumb)
{
  g_object_unref (thumb->self);
  g_free (thumb);
}

static void
scaled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Thumb *thumb = user_data;
  KefuAttachmentsSection *self = thumb->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);

  g_hash_table_remove (self->loading, &thumb->id);
  if (pixbuf != NULL)
    {
      GdkTexture *texture = gdk_texture_new_for_pixbuf (pixbuf);
      GtkPicture *picture = g_hash_table_lookup (self->pictures, &thumb->id);

      g_hash_table_insert (self->thumbnails, g_memdup2 (&thumb->id, sizeof thumb->id), texture);
      if (picture != NULL)
        gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No thumbnail for attachment %" G_GINT64_FORMAT ": %s", thumb->id, error->message);
  thumb_free (thumb);
}

static void
thumb_downloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Thumb *thumb = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = kefu_connection_download_finish (KEFU_CONNECTION (object), result,
                                                             &error);
  g_autoptr(GTask) task = NULL;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Downloading attachment %" G_GINT64_FORMAT " failed: %s", thumb->id,
                 error->message);
      g_hash_table_remove (thumb->self->loading, &thumb->id);
      thumb_free (thumb);
      return;
    }

  task = g_task_new (NULL, thumb->self->cancellable, scaled_cb, thumb);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, scale_thread);
}

static void
load_thumbnail (KefuAttachmentsSection *self,
                gint64                  id)
{
  g_autofree char *path = NULL;
  Thumb *thumb;

  if (g_hash_table_contains (self->loading, &id) || self->connection == NULL)
    return;
  g_hash_table_add (self->loading, g_memdup2 (&id, sizeof id));
  thumb = g_new0 (Thumb, 1);
  thumb->self = g_object_ref (self);
  thumb->id = id;
  path = g_strdup_printf ("/attachments/%" G_GINT64_FORMAT, id);
  kefu_connection_download_async (self->connection, path, self->cancellable,
                                  thumb_downloaded_cb, thumb);
}

static GtkWidget *
tile_new (KefuAttachmentsSection *self,
          const KefuAttachment   *a)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (a->name);
  g_autofree char *size_text = g_format_size (a->size);
  GtkWidget *size = gtk_label_new (size_text);
  g_autofree char *tooltip = NULL;

  gtk_widget_set_size_request (frame, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
  if (is_image (a))
    {
      GtkWidget *picture = gtk_picture_new ();
      GdkTexture *texture = g_hash_table_lookup (self->thumbnails, &a->id);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      if (texture != NULL)
        gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      else
        load_thumbnail (self, a->id);
      g_hash_table_insert (self->pictures, g_memdup2 (&a->id, sizeof a->id), picture);
      gtk_box_append (GTK_BOX (frame), picture);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_for (a));

      gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
      gtk_widget_set_vexpand (icon, TRUE);
      gtk_widget_add_css_class (icon, "dim-label");
      gtk_box_append (GTK_BOX (frame), icon);
    }

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 14);
  gtk_widget_add_css_class (size, "dim-label");
  gtk_widget_add_css_class (size, "caption");
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), size);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "attachments.open");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", a->id);
  /* Translators: the tooltip of an attachment: its name, size and who added it */
  tooltip = g_strdup_printf (_("Open %s (%s), added by %s"), a->name, size_text,
                             a->uploaded_by.display_name != NULL
                             ? a->uploaded_by.display_name : "—");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a->name, -1);
  return button;
}

static gboolean
may_attach (KefuAttachmentsSection *self)
{
  return self->ticket != NULL && self->connection != NULL &&
         self->ticket->attachments->len < KEFU_ATTACHMENT_MAX_PER_TICKET &&
         kefu_permissions_allow_for (self->connection, self->ticket, KEFU_TICKET_ACTION_ATTACH);
}

static void
update (KefuAttachmentsSection *self)
{
  GtkWidget *child;
  gboolean may_add = may_attach (self);

  g_hash_table_remove_all (self->pictures);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow))) != NULL)
    gtk_flow_box_remove (self->flow, child);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attachments.add", may_add);
  gtk_widget_set_visible (self->add_button, may_add);
  if (self->ticket == NULL)
    return;

  for (guint i = 0; i < self->ticket->attachments->len; i++)
    gtk_flow_box_append (self->flow,
                         tile_new (self, g_ptr_array_index (self->ticket->attachments, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->flow), self->ticket->attachments->len > 0);
  adw_preferences_group_set_description (self->group,
                                         self->ticket->attachments->len == 0
                                         ? _("No photos, videos or PDFs yet.") : NULL);
}

static void
show_error (KefuAttachmentsSection *self,
            const char             *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void upload_next (KefuAttachmentsSection *self);

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KefuAttachmentsSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = kefu_attachment_upload_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      g_autofree char *text = kefu_workflow_error_text (error);

      show_error (self, text);
    }
  else
    /* The answer is the attachment; the ticket with it comes with the reload. */
    gtk_widget_activate_action (GTK_WIDGET (self), "ticket.reload", NULL);
  upload_next (self);
}

static void
upload_next (KefuAttachmentsSection *self)
{
  g_autoptr(GFile) file = g_queue_pop_head (&self->queue);
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;

  self->uploading = file != NULL && self->ticket != NULL && self->connection != NULL;
  gtk_widget_set_visible (self->progress_box, self->uploading);
  gtk_spinner_set_spinning (self->progress_spinner, self->uploading);
  if (!self->uploading)
    {
      g_queue_clear_full (&self->queue, g_object_unref);
      return;
    }

  basename = g_file_get_basename (file);
  /* Translators: %s is a file name; %u how many files wait after it */
  if (self->queue.length > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Uploading %s (%u more waiting)…",
                                         "Uploading %s (%u more waiting)…", self->queue.length),
                            basename, self->queue.length);
  else
    text = g_strdup_printf (_("Uploading %s…"), basename);
  gtk_label_set_text (self->progress_label, text);
  kefu_attachment_upload_async (self->connection, self->ticket->number, file, self->cancellable,
                                uploaded_cb, g_object_ref (self));
}

void
kefu_attachments_section_upload_files (KefuAttachmentsSection *self,
                                       GList                  *files)
{
  g_return_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self));

  show_error (self, NULL);
  if (self->ticket != NULL &&
      self->ticket->attachments->len + self->queue.length + g_list_length (files) >
      KEFU_ATTACHMENT_MAX_PER_TICKET)
    {
      g_autofree char *text =
        g_strdup_printf (_("A ticket holds at most %d attachments."),
                         KEFU_ATTACHMENT_MAX_PER_TICKET);

      show_error (self, text);
      return;
    }
  for (GList *l = files; l != NULL; l = l->next)
    g_queue_push_tail (&self->queue, g_object_ref (l->data));
  if (!self->uploading)
    upload_next (self);
}

static void
chooser_response_cb (GtkNativeDialog        *dialog,
                     int                     response,
                     KefuAttachmentsSection *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GList *list = NULL;

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_list_prepend (list, g_list_model_get_item (files, i - 1));
      kefu_attachments_section_upload_files (self, list);
      g_list_free_full (list, g_object_unref);
    }
  g_clear_object (&self->chooser);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KefuAttachmentsSection *self = KEFU_ATTACHMENTS_SECTION (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = kefu_attachment_file_filter ();
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) videos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) pdfs = gtk_file_filter_new ();

  if (!may_attach (self) || self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Add Attachments"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (images, _("Photos"));
  gtk_file_filter_add_mime_type (images, "image/jpeg");
  gtk_file_filter_add_mime_type (images, "image/png");
  gtk_file_filter_add_mime_type (images, "image/webp");
  gtk_file_filter_set_name (videos, _("Videos"));
  gtk_file_filter_add_mime_type (videos, "video/mp4");
  gtk_file_filter_add_mime_type (videos, "video/quicktime");
  gtk_file_filter_set_name (pdfs, _("PDF Documents"));
  gtk_file_filter_add_mime_type (pdfs, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), videos);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pdfs);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ---- saving and opening ------------------------------------------------------------------- */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (object), g_object_unref);
}

static void
save_downloaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GFile *file = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kefu_connection_download_finish (KEFU_CONNECTION (object), result,
                                                             &error);
  g_autoptr(GFile) dir = NULL;

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  dir = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (dir, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
    }
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), saved_cb,
                                       g_object_ref (task));
}

void
kefu_attachments_section_save_async (KefuAttachmentsSection *self,
                                     gint64                  id,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  KefuAttachment *a;
  g_autofree char *safe = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_attachments_section_save_async);
  a = self->ticket != NULL ? kefu_ticket_find_attachment (self->ticket, id) : NULL;
  if (a == NULL || self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("This attachment is no longer there."));
      return;
    }

  /* The server's name is untrusted: keep it a plain file name in our directory. */
  safe = g_strdup (a->name != NULL && *a->name != '\0' ? a->name : "attachment");
  g_strdelimit (safe, "/\\", '_');
  if (safe[0] == '.')
    safe[0] = '_';
  leaf = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", id, safe);
  path = g_build_filename (g_get_user_cache_dir (), "kefu", "attachments", leaf, NULL);
  g_task_set_task_data (task, g_file_new_for_path (path), g_object_unref);
  url = g_strdup_printf ("/attachments/%" G_GINT64_FORMAT, id);
  kefu_connection_download_async (self->connection, url, cancellable, save_downloaded_cb,
                                  g_steal_pointer (&task));
}

GFile *
kefu_attachments_section_save_finish (KefuAttachmentsSection *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KefuAttachmentsSection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kefu_workflow_toast (GTK_WIDGET (self), _("No application on this computer opens this "
                                              "kind of file."));
}

static void
open_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KefuAttachmentsSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = kefu_attachments_section_save_finish (self, result, &error);
  g_autofree char *uri = NULL;

  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = kefu_workflow_error_text (error);

          kefu_workflow_toast (GTK_WIDGET (self), text);
        }
      return;
    }
  uri = g_file_get_uri (file);
  g_app_info_launch_default_for_uri_async (uri, NULL, self->cancellable, launched_cb,
                                           g_object_ref (self));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KefuAttachmentsSection *self = KEFU_ATTACHMENTS_SECTION (widget);

  kefu_attachments_section_save_async (self, g_variant_get_int64 (parameter), self->cancellable,
                                       open_saved_cb, g_object_ref (self));
}

/* ---- public ------------------------------------------------------------------------------- */

GtkWidget *
kefu_attachments_section_new (void)
{
  return g_object_new (KEFU_TYPE_ATTACHMENTS_SECTION, NULL);
}

void
kefu_attachments_section_set_connection (KefuAttachmentsSection *self,
                                         KefuConnection         *connection)
{
  g_return_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  update (self);
}

void
kefu_attachments_section_set_ticket (KefuAttachmentsSection *self,
                                     KefuTicket             *ticket)
{
  g_return_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self));

  if (ticket != NULL)
    kefu_ticket_ref (ticket);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  self->ticket = ticket;
  update (self);
}

gboolean
kefu_attachments_section_is_relevant (KefuAttachmentsSection *self)
{
  g_return_val_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self), FALSE);
  return self->ticket != NULL && (self->ticket->attachments->len > 0 || may_attach (self));
}

gboolean
kefu_attachments_section_is_uploading (KefuAttachmentsSection *self)
{
  g_return_val_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self), FALSE);
  return self->uploading;
}

const char *
kefu_attachments_section_get_error (KefuAttachmentsSection *self)
{
  g_return_val_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self), NULL);
  return self->error;
}

gboolean
kefu_attachments_section_has_thumbnail (KefuAttachmentsSection *self,
                                        gint64                  id)
{
  GtkPicture *picture;

  g_return_val_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self), FALSE);
  picture = g_hash_table_lookup (self->pictures, &id);
  return picture != NULL && gtk_picture_get_paintable (picture) != NULL;
}

guint
kefu_attachments_section_get_n_tiles (KefuAttachmentsSection *self)
{
  guint n = 0;

  g_return_val_if_fail (KEFU_IS_ATTACHMENTS_SECTION (self), 0);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->flow)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
kefu_attachments_section_dispose (GObject *object)
{
  KefuAttachmentsSection *self = KEFU_ATTACHMENTS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_queue_clear_full (&self->queue, g_object_unref);
  if (self->pictures != NULL)
    g_hash_table_remove_all (self->pictures);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_ATTACHMENTS_SECTION);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);

  G_OBJECT_CLASS (kefu_attachments_section_parent_class)->dispose (object);
}

static void
kefu_attachments_section_finalize (GObject *object)
{
  KefuAttachmentsSection *self = KEFU_ATTACHMENTS_SECTION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);
  g_clear_pointer (&self->pictures, g_hash_table_unref);
  g_free (self->error);

  G_OBJECT_CLASS (kefu_attachments_section_parent_class)->finalize (object);
}

static void
kefu_attachments_section_class_init (KefuAttachmentsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_attachments_section_dispose;
  object_class->finalize = kefu_attachments_section_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-attachments-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, group);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, add_button);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, flow);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, progress_box);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAttachmentsSection, error_label);

  gtk_widget_class_install_action (widget_class, "attachments.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "attachments.open", "x", open_action);
}

static void
kefu_attachments_section_init (KefuAttachmentsSection *self)
{
  self->cancellable = g_cancellable_new ();
  self->thumbnails = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->loading = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pictures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->queue);
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
