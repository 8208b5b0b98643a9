/* agenda-service.c: the D-Bus face of LpcAgenda. No agenda logic lives here:
 * each handler reads its arguments, calls the core, and completes the call or
 * returns the core's GError, whose LPC_ERROR codes carry their D-Bus names.
 *
 * Caller checks. GDBusInterfaceSkeleton's g-authorize-method signal would be
 * the textbook hook, but it does not fit here: GIO runs it (and so every
 * method call) through a worker thread as soon as a handler is connected,
 * which lets two pipelined calls from one client overtake each other, and it
 * never sees property access at all — org.freedesktop.DBus.Properties goes
 * straight to the vtable's get_property and set_property. So the service
 * wraps the skeleton's vtable instead, leaving get_property and set_property
 * out of it, which makes GDBus send Properties.Get, GetAll and Set to
 * method_call as well: every call, method or property, waits asynchronously
 * and in order for the sender's uid, then runs in the main thread. Set is
 * handled here, not by the skeleton: the writable properties are validated
 * and stored before the skeleton takes the new value, so a bad value is
 * refused with InvalidArgument and nothing changes. */
#include "config.h"

#include "agenda-service.h"

#include "agenda-calendar.h"
#include "calendar-file.h"

#include "caller-check.h"
#include "conflict-records.h"
#include "lpc-error.h"
#include "reminder-clashes.h"
#include "reminder-scheduler.h"
#include "vardict.h"

#include <string.h>
#include <unistd.h>

/* ---- translating records ---- */

static GVariant *
strv_variant (const char *const *strv)
{
  static const char *const empty[] = { NULL };

  return g_variant_new_strv (strv != NULL ? strv : empty, -1);
}

/* The keys of talk and agenda records. A ListTalks of the whole program is
 * some 2,500 fields, and building them was most of its cost: each record is
 * now made with the GVariant constructors (a GVariantBuilder parsed "{sv}"
 * and copied a new key string for every field), from keys made once, and
 * with whole fields shared where many records have the same value (kind,
 * track, room, parent, attendable, state): a shared field costs a reference
 * instead of three new variants, and the reply's tree is about half as big. */
typedef enum
{
  KEY_ID,
  KEY_KIND,
  KEY_TITLE,
  KEY_TRACK,
  KEY_ROOM,
  KEY_START,
  KEY_END,
  KEY_SPEAKERS,
  KEY_CONVENERS,
  KEY_PARENT,
  KEY_OCCURRENCES,
  KEY_ATTENDABLE,
  KEY_ABSTRACT,
  KEY_PRIORITY,
  KEY_STATE,
  KEY_NOTE,
  KEY_ADDED,
  KEY_REMIND,
  KEY_PREVIOUS_START,
  KEY_PREVIOUS_ROOM,
  KEY_REMINDER,
  KEY_REMINDED,
  KEY_CONFLICTS,
  N_KEYS
} RecordKey;

static const char *const key_names[N_KEYS] = {
  [KEY_ID] = "id",
  [KEY_KIND] = "kind",
  [KEY_TITLE] = "title",
  [KEY_TRACK] = "track",
  [KEY_ROOM] = "room",
  [KEY_START] = "start",
  [KEY_END] = "end",
  [KEY_SPEAKERS] = "speakers",
  [KEY_CONVENERS] = "conveners",
  [KEY_PARENT] = "parent",
  [KEY_OCCURRENCES] = "occurrences",
  [KEY_ATTENDABLE] = "attendable",
  [KEY_ABSTRACT] = "abstract",
  [KEY_PRIORITY] = "priority",
  [KEY_STATE] = "state",
  [KEY_NOTE] = "note",
  [KEY_ADDED] = "added",
  [KEY_REMIND] = "remind",
  [KEY_PREVIOUS_START] = "previous-start",
  [KEY_PREVIOUS_ROOM] = "previous-room",
  [KEY_REMINDER] = "reminder",
  [KEY_REMINDED] = "reminded",
  [KEY_CONFLICTS] = "conflicts",
};

/* What records share, made once per service: the keys, the attendable
 * fields, and, per key, the string fields made so far (value -> field).
 * Those only grow with the distinct tracks, rooms, blocks and states of the
 * program; an import starts them afresh. */
typedef struct
{
  GVariant *keys[N_KEYS];
  GVariant *attendable_fields[2];
  GHashTable *string_fields[N_KEYS]; /* made when first needed */
} SharedFields;

static void
shared_fields_init (SharedFields *shared)
{
  for (guint i = 0; i < N_KEYS; i++)
    shared->keys[i] = g_variant_ref_sink (g_variant_new_string (key_names[i]));
  for (guint i = 0; i < G_N_ELEMENTS (shared->attendable_fields); i++)
    shared->attendable_fields[i] = g_variant_ref_sink (g_variant_new_dict_entry (
        shared->keys[KEY_ATTENDABLE], g_variant_new_variant (g_variant_new_boolean (i))));
}

/* Forgets the string fields (the program changed); the keys stay. */
static void
shared_fields_forget_strings (SharedFields *shared)
{
  for (guint i = 0; i < N_KEYS; i++)
    g_clear_pointer (&shared->string_fields[i], g_hash_table_unref);
}

static void
shared_fields_clear (SharedFields *shared)
{
  shared_fields_forget_strings (shared);
  for (guint i = 0; i < G_N_ELEMENTS (shared->attendable_fields); i++)
    g_clear_pointer (&shared->attendable_fields[i], g_variant_unref);
  for (guint i = 0; i < N_KEYS; i++)
    g_clear_pointer (&shared->keys[i], g_variant_unref);
}

struct _LpcAgendaService
{
  LpcAgenda1Skeleton parent_instance;

  LpcAgenda *agenda; /* borrowed; outlives the service */
  /* NULL until lpc_agenda_service_start_reminders(); freed before the agenda. */
  LpcReminderScheduler *reminders;
  SharedFields shared;
  /* The last ListTalks reply (one without abstracts) and the filter it
   * answered, see handle_list_talks(). */
  GVariant *last_talks_filter;
  GVariant *last_talks;
  LpcCallerCheck *caller_check;
  /* The living calendar (CalendarFile): rewritten after every change the
   * AgendaChanged and ProgramChanged signals and the lead times announce. */
  LpcCalendarFile *calendar_file;
  /* The generated skeleton's vtable, and ours that puts checks in front of it. */
  const GDBusInterfaceVTable *skeleton_vtable;
  GDBusInterfaceVTable checked_vtable;
};

static void lpc_agenda_service_iface_init (LpcAgenda1Iface *iface);

G_DEFINE_TYPE_WITH_CODE (LpcAgendaService, lpc_agenda_service, LPC_TYPE_AGENDA1_SKELETON,
                         G_IMPLEMENT_INTERFACE (LPC_TYPE_AGENDA1, lpc_agenda_service_iface_init))

/* An a{sv} record being filled; no key is added twice, so it never holds
 * more than N_KEYS fields. */
typedef struct
{
  SharedFields *shared;
  GVariant *fields[N_KEYS];
  guint n_fields;
} Record;

static void
record_init (Record *record, SharedFields *shared)
{
  record->shared = shared;
  record->n_fields = 0;
}

/* Takes @field if it is floating; record_end() refs a shared one. */
static void
record_add_field (Record *record, GVariant *field)
{
  g_assert (record->n_fields < G_N_ELEMENTS (record->fields));
  record->fields[record->n_fields++] = field;
}

/* Takes @value if it is floating. */
static void
record_add (Record *record, RecordKey key, GVariant *value)
{
  record_add_field (
      record, g_variant_new_dict_entry (record->shared->keys[key], g_variant_new_variant (value)));
}

static void
record_add_string (Record *record, RecordKey key, const char *value)
{
  record_add (record, key, g_variant_new_string (value != NULL ? value : ""));
}

/* For the values many records repeat: the field is made once and shared. */
static void
record_add_shared_string (Record *record, RecordKey key, const char *value)
{
  GHashTable **fields = &record->shared->string_fields[key];
  GVariant *field;

  if (value == NULL)
    value = "";
  if (*fields == NULL)
    *fields
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  field = g_hash_table_lookup (*fields, value);
  if (field == NULL)
    {
      field = g_variant_ref_sink (g_variant_new_dict_entry (
          record->shared->keys[key], g_variant_new_variant (g_variant_new_string (value))));
      g_hash_table_insert (*fields, g_strdup (value), field);
    }
  record_add_field (record, field);
}

static void
record_add_strv (Record *record, RecordKey key, const char *const *strv)
{
  record_add (record, key, strv_variant (strv));
}

static GVariant *
record_end (Record *record)
{
  return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), record->fields, record->n_fields);
}

/* @abstract: NULL leaves it out. A field added here must depend on the
 * program alone: ListTalks replies are reused until the program changes
 * (see handle_list_talks()). */
static void
add_talk_fields (LpcAgendaService *self, Record *record, const LpcEntry *entry,
                 const char *abstract)
{
  g_auto (GStrv) occurrences = lpc_agenda_dup_other_occurrences (self->agenda, entry);

  record_add_string (record, KEY_ID, entry->id);
  record_add_shared_string (record, KEY_KIND, lpc_entry_kind_to_string (entry->kind));
  record_add_string (record, KEY_TITLE, entry->title);
  record_add_shared_string (record, KEY_TRACK, entry->track);
  record_add_shared_string (record, KEY_ROOM, entry->room);
  record_add (record, KEY_START, g_variant_new_int64 (entry->start));
  record_add (record, KEY_END, g_variant_new_int64 (entry->end));
  record_add_strv (record, KEY_SPEAKERS, (const char *const *) entry->speakers);
  if (entry->kind == LPC_ENTRY_SESSION)
    record_add_strv (record, KEY_CONVENERS, (const char *const *) entry->conveners);
  if (entry->parent_id != NULL)
    record_add_shared_string (record, KEY_PARENT, entry->parent_id);
  if (occurrences != NULL)
    record_add_strv (record, KEY_OCCURRENCES, (const char *const *) occurrences);
  record_add_field (record,
                    record->shared->attendable_fields[lpc_entry_is_attendable (entry) ? 1 : 0]);
  if (abstract != NULL)
    record_add_string (record, KEY_ABSTRACT, abstract);
}

/* @abstract: NULL leaves it out. */
static GVariant *
talk_record (LpcAgendaService *self, const LpcEntry *entry, const char *abstract)
{
  Record record;

  record_init (&record, &self->shared);
  add_talk_fields (self, &record, entry, abstract);
  return record_end (&record);
}

/* A talk record with its abstract, which the agenda reads from the store. */
static GVariant *
talk_record_with_abstract (LpcAgendaService *self, const LpcEntry *entry, GError **error)
{
  g_autofree char *abstract = lpc_agenda_dup_abstract (self->agenda, entry, error);

  if (abstract == NULL)
    return NULL;
  return talk_record (self, entry, abstract);
}

/* "reminder": when the item's next reminder is due (0 = none); "reminded":
 * what the reminder log says of its current start, left out while it says
 * nothing. */
static void
add_reminder_fields (LpcAgendaService *self, Record *record, const LpcAgendaRow *row)
{
  const char *reminded = NULL;
  gint64 next = 0;

  if (self->reminders != NULL)
    {
      next = lpc_reminder_scheduler_get_next_for (self->reminders, row->entry->id);
      reminded = lpc_reminder_scheduler_get_reminded (self->reminders, row->entry->id,
                                                      row->entry->start);
    }
  record_add (record, KEY_REMINDER, g_variant_new_int64 (next));
  if (reminded != NULL)
    record_add_shared_string (record, KEY_REMINDED, reminded);
}

/* @conflicts: the ids of the items it clashes with (NULL: none). */
static GVariant *
agenda_record (LpcAgendaService *self, const LpcAgendaRow *row, const char *const *conflicts)
{
  const LpcAgendaItem *item = row->item;
  Record record;

  record_init (&record, &self->shared);
  add_talk_fields (self, &record, row->entry, NULL);
  record_add (&record, KEY_PRIORITY, g_variant_new_uint32 (item->priority));
  record_add_shared_string (&record, KEY_STATE, lpc_item_state_to_string (item->state));
  record_add_string (&record, KEY_NOTE, item->note);
  record_add (&record, KEY_ADDED, g_variant_new_int64 (item->added_at));
  record_add_string (&record, KEY_REMIND, item->remind);
  if (item->state == LPC_ITEM_MOVED)
    {
      record_add (&record, KEY_PREVIOUS_START, g_variant_new_int64 (item->previous_start));
      record_add_string (&record, KEY_PREVIOUS_ROOM, item->previous_room);
    }
  add_reminder_fields (self, &record, row);
  record_add_strv (&record, KEY_CONFLICTS, conflicts);
  return record_end (&record);
}

/* ---- the size of a reply ---- */

/* A bus disconnects a client that sends a message over its maximum size,
 * which for lpc-agendad means losing its name and its callers. dbus-daemon's
 * own default, and so that of a bus whose configuration sets none (the test
 * harness's, the system bus's), is 32 MiB; the stock session bus allows
 * 128 MiB (D-Bus's own limit), and no array may be over 64 MiB. Every reply
 * that grows with the program or the agenda is measured against 32 MiB, less
 * room for the message's header (a few hundred bytes: the reply serial, the
 * names, the signature): one that would be bigger is refused by name
 * (LimitExceeded) with its size and what to ask for instead. */
#define REPLY_MAX_BYTES (32 * 1024 * 1024 - 64 * 1024)

static gsize
dbus_alignment (const char *type)
{
  switch (type[0])
    {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default: /* b i u h s o a */
      return 4;
    }
}

/* The size of a basic type of fixed size on the wire, or 0. */
static gsize
dbus_fixed_size (const char *type)
{
  switch (type[0])
    {
    case 'y':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'b':
    case 'i':
    case 'u':
    case 'h':
      return 4;
    case 'x':
    case 't':
    case 'd':
      return 8;
    default:
      return 0;
    }
}

/* Where @value ends when D-Bus marshals it at @offset of a message body.
 * That is not its GVariant size: D-Bus aligns each value to its type (8
 * for int64, structs and dict entries), gives strings and arrays a 32-bit
 * length and a variant its signature, and a boolean takes 4 bytes, so a
 * reply is larger on the bus than g_variant_get_size() says. */
static gsize
dbus_wire_end (GVariant *value, gsize offset)
{
  const char *type = g_variant_get_type_string (value);
  gsize alignment = dbus_alignment (type);
  gsize fixed = dbus_fixed_size (type);
  gsize length;

  offset = (offset + alignment - 1) & ~(alignment - 1);
  if (fixed > 0)
    return offset + fixed;
  switch (type[0])
    {
    case 's':
    case 'o':
      g_variant_get_string (value, &length);
      return offset + 4 + length + 1;
    case 'g':
      g_variant_get_string (value, &length);
      return offset + 1 + length + 1;
    case 'v':
      {
        g_autoptr (GVariant) child = g_variant_get_variant (value);

        offset += 1 + strlen (g_variant_get_type_string (child)) + 1;
        return dbus_wire_end (child, offset);
      }
    case 'a':
      {
        gsize element_alignment = dbus_alignment (type + 1);
        gsize element_fixed = dbus_fixed_size (type + 1);

        offset += 4;
        offset = (offset + element_alignment - 1) & ~(element_alignment - 1);
        /* Fixed-size elements are packed without padding: no need to
         * visit a megabyte of bytes one by one. */
        if (element_fixed > 0)
          return offset + g_variant_n_children (value) * element_fixed;
      }
      break;
    default: /* structs and dict entries */
      break;
    }
  for (gsize i = 0, n = g_variant_n_children (value); i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

      offset = dbus_wire_end (child, offset);
    }
  return offset;
}

/* @reply: the value a complete_*() function wraps in the reply's tuple (one
 * out argument); its size on the wire is the body's. @advice: what to ask
 * for instead, "narrow the filter: ..." */
static void
set_too_big_error (GError **error, const char *method, gsize size, const char *advice)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_LIMIT_EXCEEDED,
               "the answer to %s would be %.1f MiB, more than one D-Bus message may carry "
               "(32 MiB, a bus's default limit); %s",
               method, size / (1024.0 * 1024.0), advice);
}

static gboolean
check_reply_size (GVariant *reply, const char *method, const char *advice, GError **error)
{
  gsize size = dbus_wire_end (reply, 0);

  if (size <= REPLY_MAX_BYTES)
    return TRUE;
  set_too_big_error (error, method, size, advice);
  return FALSE;
}

/* An aa{sv} of @records; they keep their references. */
static GVariant *
record_list (GPtrArray *records)
{
  return g_variant_new_array (G_VARIANT_TYPE_VARDICT, (GVariant *const *) records->pdata,
                              records->len);
}

/* The records below are made once per call: a GVariantBuilder is plenty. */

static GVariant *
ptr_array_strv_variant (GPtrArray *strings)
{
  if (strings == NULL)
    return strv_variant (NULL);
  return g_variant_new_strv ((const char *const *) strings->pdata, strings->len);
}

static void
add_entry (GVariantBuilder *builder, const char *key, GVariant *value)
{
  g_variant_builder_add (builder, "{sv}", key, value);
}

static GVariant *
import_summary_record (const LpcImportSummary *summary)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_entry (&builder, "sessions", g_variant_new_uint32 (summary->n_sessions));
  add_entry (&builder, "talks", g_variant_new_uint32 (summary->n_talks));
  add_entry (&builder, "breaks", g_variant_new_uint32 (summary->n_breaks));
  add_entry (&builder, "new", g_variant_new_uint32 (summary->n_new));
  add_entry (&builder, "changed", g_variant_new_uint32 (summary->n_changed));
  add_entry (&builder, "moved", ptr_array_strv_variant (summary->moved_ids));
  add_entry (&builder, "cancelled", ptr_array_strv_variant (summary->cancelled_ids));
  add_entry (&builder, "restored", ptr_array_strv_variant (summary->restored_ids));
  if (summary->replaced_program != NULL)
    {
      add_entry (&builder, "replaced", g_variant_new_string (summary->replaced_program));
      add_entry (&builder, "archived", g_variant_new_uint32 (summary->n_archived));
      add_entry (&builder, "unarchived", g_variant_new_uint32 (summary->n_unarchived));
    }
  add_entry (&builder, "warnings", ptr_array_strv_variant (summary->warnings));
  return g_variant_builder_end (&builder);
}

/* ---- reading arguments ---- */

static gboolean
read_time_filter (GVariant *dict, LpcTalkFilter *filter, GError **error)
{
  const char *day;

  if (g_variant_lookup (dict, "day", "&s", &day) && !lpc_talk_filter_set_day (filter, day, error))
    return FALSE;
  filter->has_from = g_variant_lookup (dict, "from", "x", &filter->from);
  filter->has_to = g_variant_lookup (dict, "to", "x", &filter->to);
  return TRUE;
}

/* @out_offset: how many of the matching entries to leave out first; the
 * filter's limit then counts from there. */
static gboolean
read_talk_filter (GVariant *dict, LpcTalkFilter *filter, gboolean *out_details, guint *out_offset,
                  GError **error)
{
  static const LpcVardictKey keys[] = {
    { "day", "s" },  { "track", "s" }, { "room", "s" },  { "query", "s" },   { "kind", "s" },
    { "from", "x" }, { "to", "x" },    { "limit", "u" }, { "offset", "u" },  { "details", "b" },
  };
  const char *text;

  if (!lpc_vardict_check (dict, "filter", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  if (!read_time_filter (dict, filter, error))
    return FALSE;
  if (g_variant_lookup (dict, "track", "&s", &text)
      && !lpc_talk_filter_set_track (filter, text, error))
    return FALSE;
  if (g_variant_lookup (dict, "room", "&s", &text)
      && !lpc_talk_filter_set_room (filter, text, error))
    return FALSE;
  if (g_variant_lookup (dict, "query", "&s", &text)
      && !lpc_talk_filter_set_query (filter, text, error))
    return FALSE;
  if (g_variant_lookup (dict, "kind", "&s", &text)
      && !lpc_talk_filter_set_kind (filter, text, error))
    return FALSE;
  g_variant_lookup (dict, "limit", "u", &filter->limit);
  *out_offset = 0;
  g_variant_lookup (dict, "offset", "u", out_offset);
  /* The core stops at the limit: it takes the entries before the page too. */
  if (*out_offset > 0 && filter->limit > 0)
    filter->limit = filter->limit > G_MAXUINT - *out_offset ? 0 : filter->limit + *out_offset;
  *out_details = FALSE;
  g_variant_lookup (dict, "details", "b", out_details);
  return TRUE;
}

static gboolean
read_agenda_filter (GVariant *dict, LpcAgendaFilter *filter, GError **error)
{
  static const LpcVardictKey keys[] = {
    { "day", "s" },
    { "from", "x" },
    { "to", "x" },
    { "state", "s" },
  };
  const char *state;

  if (!lpc_vardict_check (dict, "filter", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  if (!read_time_filter (dict, &filter->when, error))
    return FALSE;
  if (g_variant_lookup (dict, "state", "&s", &state) && strcmp (state, "all") != 0)
    {
      if (!lpc_item_state_from_string (state, &filter->state))
        {
          g_autofree char *valid = g_utf8_make_valid (state, MIN (strlen (state), 64));
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "state '%s' is not one of planned, skipped, moved, cancelled, all", valid);
          return FALSE;
        }
      filter->by_state = TRUE;
    }
  return TRUE;
}

static gboolean
read_item_options (GVariant *dict, LpcItemOptions *options, GError **error)
{
  static const LpcVardictKey keys[] = {
    { "priority", "u" },
    { "remind", "s|i" },
    { "note", "s" },
  };
  g_autoptr (GVariant) remind = NULL;

  if (!lpc_vardict_check (dict, "option", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  options->set_priority = g_variant_lookup (dict, "priority", "u", &options->priority);
  options->set_note = g_variant_lookup (dict, "note", "s", &options->note);
  remind = g_variant_lookup_value (dict, "remind", NULL);
  if (remind != NULL)
    {
      options->set_remind = TRUE;
      if (g_variant_is_of_type (remind, G_VARIANT_TYPE_STRING))
        options->remind = g_variant_dup_string (remind, NULL);
      else if (g_variant_get_int32 (remind) == -1)
        options->remind = g_strdup ("");
      else if (g_variant_get_int32 (remind) >= 0)
        options->remind = g_strdup_printf ("%d", g_variant_get_int32 (remind));
      else
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "option 'remind' %d is neither -1 (the LeadTimes default) nor minutes "
                       "before the start (0 to %d)",
                       g_variant_get_int32 (remind), LPC_LEAD_TIME_MAX);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- completing calls ---- */

static gboolean
return_error (GDBusMethodInvocation *invocation, GError *error)
{
  g_debug ("%s failed: %s", g_dbus_method_invocation_get_method_name (invocation), error->message);
  g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
emit_agenda_changed (LpcAgendaService *self, const char *id)
{
  const char *const ids[] = { id, NULL };

  lpc_agenda1_emit_agenda_changed (LPC_AGENDA1 (self), ids);
}

static LpcAgendaService *
service_of (LpcAgenda1 *object)
{
  return LPC_AGENDA_SERVICE (object);
}

/* After every change of the agenda or the lead times. Before the reminders
 * start there is nothing to refresh: starting reads everything afresh. */
static void
refresh_reminders (LpcAgendaService *self)
{
  if (self->reminders != NULL)
    lpc_reminder_scheduler_refresh (self->reminders);
}

/* ---- methods ---- */

static void
forget_last_talks (LpcAgendaService *self)
{
  g_clear_pointer (&self->last_talks, g_variant_unref);
  g_clear_pointer (&self->last_talks_filter, g_variant_unref);
}

/* A listing too big for one message says how to page through it: a limit
 * that makes pages of about half the most a reply may be. */
static gboolean
check_list_talks_size (GVariant *list, guint n_records, GError **error)
{
  gsize size = dbus_wire_end (list, 0);
  g_autofree char *advice = NULL;

  if (size <= REPLY_MAX_BYTES)
    return TRUE;
  advice = g_strdup_printf (
      "narrow the filter (day, track, room, query, kind, from, to) or page through its %u "
      "entries with offset and limit (limit %u makes pages of about %u MiB)",
      n_records, (guint) MAX (1, (guint64) n_records * (REPLY_MAX_BYTES / 2) / size),
      (guint) (REPLY_MAX_BYTES / 2 / (1024 * 1024)));
  set_too_big_error (error, "ListTalks", size, advice);
  return FALSE;
}

static gboolean
handle_list_talks (LpcAgenda1 *object, GDBusMethodInvocation *invocation, GVariant *arg_filter)
{
  LpcAgendaService *self = service_of (object);
  g_auto (LpcTalkFilter) filter = { 0 };
  g_autoptr (GPtrArray) talks = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GVariant) list = NULL;
  gboolean details = FALSE;
  guint offset = 0;
  GError *error = NULL;

  /* The same listing again (every `lpc-agenda list`, every completion of a
   * talk id) is the same reply until the program changes: the last one is
   * sent again, which saves half of the call. It takes no more memory than
   * not keeping it: GLib keeps the memory of a freed reply for the next. */
  if (self->last_talks != NULL && g_variant_equal (arg_filter, self->last_talks_filter))
    {
      lpc_agenda1_complete_list_talks (object, invocation, self->last_talks);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!read_talk_filter (arg_filter, &filter, &details, &offset, &error))
    return return_error (invocation, error);
  talks = lpc_agenda_list_talks (self->agenda, &filter, &error);
  if (talks == NULL)
    return return_error (invocation, error);
  records = g_ptr_array_new_full (talks->len, (GDestroyNotify) g_variant_unref);
  for (guint i = MIN (offset, talks->len); i < talks->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (talks, i);
      GVariant *record = details ? talk_record_with_abstract (self, entry, &error)
                                 : talk_record (self, entry, NULL);

      if (record == NULL)
        return return_error (invocation, error);
      g_ptr_array_add (records, g_variant_ref_sink (record));
    }
  list = g_variant_ref_sink (record_list (records));
  g_clear_pointer (&records, g_ptr_array_unref);
  if (!check_list_talks_size (list, talks->len - MIN (offset, talks->len), &error))
    return return_error (invocation, error);
  forget_last_talks (self);
  /* Not with abstracts: those are left in the store for memory's sake. */
  if (!details)
    {
      self->last_talks = g_variant_ref (list);
      self->last_talks_filter = g_variant_ref (arg_filter);
    }
  lpc_agenda1_complete_list_talks (object, invocation, list);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_talk (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id)
{
  LpcAgendaService *self = service_of (object);
  const LpcEntry *entry;
  GVariant *record;
  GError *error = NULL;

  entry = lpc_agenda_resolve (self->agenda, arg_id, &error);
  if (entry == NULL)
    return return_error (invocation, error);
  record = talk_record_with_abstract (self, entry, &error);
  if (record == NULL)
    return return_error (invocation, error);
  lpc_agenda1_complete_get_talk (object, invocation, record);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id,
            GVariant *arg_options)
{
  LpcAgendaService *self = service_of (object);
  g_auto (LpcItemOptions) options = { 0 };
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  g_auto (GStrv) partners = NULL;
  g_autoptr (GVariant) result = NULL;
  GVariantBuilder builder;
  gboolean already = FALSE;
  GError *error = NULL;

  if (!read_item_options (arg_options, &options, &error))
    return return_error (invocation, error);
  row = lpc_agenda_add (self->agenda, arg_id, &options, &already, &error);
  if (row == NULL)
    return return_error (invocation, error);
  /* First, so that the record has the new item's reminder. */
  if (!already)
    refresh_reminders (self);
  conflicts = lpc_agenda_find_conflicts (self->agenda, &error);
  if (conflicts == NULL)
    {
      /* The pick is stored all the same: listeners hear of it. */
      if (!already)
        emit_agenda_changed (self, row->entry->id);
      return return_error (invocation, error);
    }
  partners = lpc_agenda_conflicts_dup_partners_of (conflicts, row->entry->id);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_entry (&builder, "id", g_variant_new_string (row->entry->id));
  add_entry (&builder, "already", g_variant_new_boolean (already));
  add_entry (&builder, "item", agenda_record (self, row, (const char *const *) partners));
  add_entry (&builder, "conflicts", lpc_conflict_records_new (conflicts, row->entry->id));
  result = g_variant_ref_sink (g_variant_builder_end (&builder));
  /* A pick clashing with tens of thousands of others. */
  if (check_reply_size (result, "Add",
                        "the talk is on the agenda all the same: GetAgenda with its day shows it",
                        &error))
    lpc_agenda1_complete_add (object, invocation, result);
  else
    return_error (invocation, error);
  if (!already)
    emit_agenda_changed (self, row->entry->id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id,
               GVariant *arg_options)
{
  LpcAgendaService *self = service_of (object);
  g_auto (LpcItemOptions) options = { 0 };
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  g_auto (GStrv) partners = NULL;
  g_autoptr (GVariant) item = NULL;
  gboolean changed = FALSE;
  GError *error = NULL;

  if (!read_item_options (arg_options, &options, &error))
    return return_error (invocation, error);
  row = lpc_agenda_update (self->agenda, arg_id, &options, &changed, &error);
  if (row == NULL)
    return return_error (invocation, error);
  if (changed)
    refresh_reminders (self);
  conflicts = lpc_agenda_find_conflicts (self->agenda, &error);
  if (conflicts == NULL)
    {
      if (changed)
        emit_agenda_changed (self, row->entry->id);
      return return_error (invocation, error);
    }
  partners = lpc_agenda_conflicts_dup_partners_of (conflicts, row->entry->id);
  item = g_variant_ref_sink (agenda_record (self, row, (const char *const *) partners));
  if (check_reply_size (item, "Update",
                        "the change was made all the same: GetAgenda with its day shows it",
                        &error))
    lpc_agenda1_complete_update (object, invocation, item);
  else
    return_error (invocation, error);
  if (changed)
    emit_agenda_changed (self, row->entry->id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id)
{
  LpcAgendaService *self = service_of (object);
  g_autofree char *id = NULL;
  GError *error = NULL;

  id = lpc_agenda_remove (self->agenda, arg_id, &error);
  if (id == NULL)
    return return_error (invocation, error);
  lpc_agenda1_complete_remove (object, invocation);
  refresh_reminders (self);
  emit_agenda_changed (self, id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_skip (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id)
{
  LpcAgendaService *self = service_of (object);
  g_autofree char *id = NULL;
  gboolean changed = FALSE;
  GError *error = NULL;

  id = lpc_agenda_skip (self->agenda, arg_id, &changed, &error);
  if (id == NULL)
    return return_error (invocation, error);
  lpc_agenda1_complete_skip (object, invocation);
  if (changed)
    {
      refresh_reminders (self);
      emit_agenda_changed (self, id);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unskip (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id)
{
  LpcAgendaService *self = service_of (object);
  g_autofree char *id = NULL;
  gboolean changed = FALSE;
  GError *error = NULL;

  id = lpc_agenda_unskip (self->agenda, arg_id, &changed, &error);
  if (id == NULL)
    return return_error (invocation, error);
  lpc_agenda1_complete_unskip (object, invocation);
  if (changed)
    {
      refresh_reminders (self);
      emit_agenda_changed (self, id);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_agenda (LpcAgenda1 *object, GDBusMethodInvocation *invocation, GVariant *arg_filter)
{
  LpcAgendaService *self = service_of (object);
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  g_autoptr (GHashTable) partners = NULL;
  g_autoptr (GVariant) list = NULL;
  GError *error = NULL;

  if (!read_agenda_filter (arg_filter, &filter, &error))
    return return_error (invocation, error);
  rows = lpc_agenda_list_agenda (self->agenda, &filter, &error);
  if (rows == NULL)
    return return_error (invocation, error);
  /* One report for the whole agenda, whatever the filter shows of it. */
  conflicts = lpc_agenda_find_conflicts (self->agenda, &error);
  if (conflicts == NULL)
    return return_error (invocation, error);
  partners = lpc_agenda_conflicts_dup_partners (conflicts);
  records = g_ptr_array_new_full (rows->len, (GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      const LpcAgendaRow *row = g_ptr_array_index (rows, i);

      g_ptr_array_add (records, g_variant_ref_sink (agenda_record (
                                    self, row, g_hash_table_lookup (partners, row->entry->id))));
    }
  list = g_variant_ref_sink (record_list (records));
  if (!check_reply_size (list, "GetAgenda", "ask for one day at a time (the filter's day)", &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_get_agenda (object, invocation, list);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The ids on the agenda, for what a conference switch changed. */
static GHashTable *
agenda_id_set (LpcAgendaService *self)
{
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GPtrArray) rows = lpc_agenda_list_agenda (self->agenda, &filter, NULL);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const LpcAgendaRow *row = g_ptr_array_index (rows, i);
      g_hash_table_add (ids, g_strdup (row->item->entry_id));
    }
  return ids;
}

/* Ids in one set and not the other, added to @changed (borrowed). */
static void
add_difference (GPtrArray *changed, GHashTable *from, GHashTable *without)
{
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (without, id))
      g_ptr_array_add (changed, id);
}

/* ImportProgram's and ReplaceProgram's options; @dict's strings are
 * borrowed by @options. */
static gboolean
read_import_options (GVariant *dict, LpcProgramParseOptions *options, GError **error)
{
  static const LpcVardictKey keys[] = {
    { "timezone", "s" },
  };

  if (!lpc_vardict_check (dict, "option", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  *options = (LpcProgramParseOptions){ 0 };
  g_variant_lookup (dict, "timezone", "&s", &options->timezone);
  return TRUE;
}

/* An ImportProgram or ReplaceProgram call whose file is being read. */
typedef struct
{
  LpcAgendaService *self; /* a reference */
  GDBusMethodInvocation *invocation;
  LpcImportFlags flags;
} ImportCall;

/* The file is parsed off the main thread (a hostile one must not stop the
 * other calls and the reminders), and the call completed here, back on it,
 * where the program is stored. */
static void
import_program_parsed (GObject *source, GAsyncResult *result, gpointer data)
{
  ImportCall *call = data;
  LpcAgendaService *self = call->self;
  GDBusMethodInvocation *invocation = call->invocation;
  LpcImportFlags flags = call->flags;
  LpcAgenda1 *object = LPC_AGENDA1 (self);
  LpcImportSummary summary = { 0 };
  g_autoptr (GPtrArray) changed_ids = g_ptr_array_new ();
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  GVariant *record;
  LpcProgram *program;
  GError *error = NULL;

  (void) source;
  g_free (call);
  if (flags & LPC_IMPORT_REPLACE)
    before = agenda_id_set (self);
  if (!lpc_agenda_import_program_finish (self->agenda, result, &summary, &error))
    {
      lpc_import_summary_clear (&summary);
      return_error (invocation, error);
      g_object_unref (self);
      return;
    }
  record = g_variant_ref_sink (import_summary_record (&summary));
  if (flags & LPC_IMPORT_REPLACE)
    lpc_agenda1_complete_replace_program (object, invocation, record);
  else
    lpc_agenda1_complete_import_program (object, invocation, record);
  shared_fields_forget_strings (&self->shared);
  forget_last_talks (self);

  program = lpc_agenda_get_program (self->agenda);
  lpc_agenda1_set_program_name (object, program->name);
  lpc_agenda1_set_program_timezone (object, program->timezone);
  lpc_agenda1_emit_program_changed (object, record);
  /* Items whose talk moved, vanished or came back changed state; a switch
   * of conference archived some and brought others back. */
  if (summary.moved_ids != NULL)
    g_ptr_array_extend (changed_ids, summary.moved_ids, NULL, NULL);
  if (summary.cancelled_ids != NULL)
    g_ptr_array_extend (changed_ids, summary.cancelled_ids, NULL, NULL);
  if (summary.restored_ids != NULL)
    g_ptr_array_extend (changed_ids, summary.restored_ids, NULL, NULL);
  if (summary.replaced_program != NULL)
    {
      after = agenda_id_set (self);
      add_difference (changed_ids, before, after);
      add_difference (changed_ids, after, before);
    }
  if (changed_ids->len > 0)
    {
      g_ptr_array_add (changed_ids, NULL);
      lpc_agenda1_emit_agenda_changed (object, (const char *const *) changed_ids->pdata);
    }
  /* Reminders for the new times, and a notice per pick moved or cancelled. */
  if (self->reminders != NULL)
    {
      lpc_reminder_scheduler_program_imported (self->reminders, &summary);
      if (summary.replaced_program != NULL)
        refresh_reminders (self);
    }
  g_variant_unref (record);
  lpc_import_summary_clear (&summary);
  g_object_unref (self);
}

static gboolean
import_program (LpcAgendaService *self, GDBusMethodInvocation *invocation, const char *path,
                GVariant *arg_options, LpcImportFlags flags)
{
  LpcProgramParseOptions options;
  ImportCall *call;
  GError *error = NULL;

  if (!read_import_options (arg_options, &options, &error))
    return return_error (invocation, error);
  call = g_new0 (ImportCall, 1);
  call->self = g_object_ref (self);
  call->invocation = invocation;
  call->flags = flags;
  lpc_agenda_import_program_async (self->agenda, path, flags, &options, import_program_parsed,
                                   call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_import_program (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_path,
                       GVariant *arg_options)
{
  return import_program (service_of (object), invocation, arg_path, arg_options,
                         LPC_IMPORT_DEFAULT);
}

static gboolean
handle_replace_program (LpcAgenda1 *object, GDBusMethodInvocation *invocation,
                        const char *arg_path, GVariant *arg_options)
{
  return import_program (service_of (object), invocation, arg_path, arg_options,
                         LPC_IMPORT_REPLACE);
}

static gboolean
handle_get_status (LpcAgenda1 *object, GDBusMethodInvocation *invocation)
{
  LpcAgendaService *self = service_of (object);
  LpcAgendaStatus status;
  GVariantBuilder builder;
  GError *error = NULL;

  if (!lpc_agenda_get_status (self->agenda, &status, &error))
    return return_error (invocation, error);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_entry (&builder, "now", g_variant_new_int64 (status.now));
  add_entry (&builder, "clock",
             g_variant_new_string (status.clock_simulated ? "simulated" : "real"));
  add_entry (&builder, "clock-rate", g_variant_new_double (status.clock_rate));
  add_entry (&builder, "database", g_variant_new_string (status.database));
  add_entry (&builder, "program", g_variant_new_string (status.program_name));
  add_entry (&builder, "program-timezone", g_variant_new_string (status.program_timezone));
  add_entry (&builder, "talks", g_variant_new_uint32 (status.n_talks));
  add_entry (&builder, "sessions", g_variant_new_uint32 (status.n_sessions));
  add_entry (&builder, "breaks", g_variant_new_uint32 (status.n_breaks));
  /* Storage faults: without a store how many items there are is unknown. */
  if (status.storage != LPC_STORAGE_UNAVAILABLE)
    {
      add_entry (&builder, "agenda", g_variant_new_uint32 (status.n_agenda));
      add_entry (&builder, "planned", g_variant_new_uint32 (status.n_planned));
    }
  add_entry (&builder, "storage", g_variant_new_string (lpc_storage_state_to_string (status.storage)));
  if (status.storage_error != NULL)
    add_entry (&builder, "storage-error", g_variant_new_string (status.storage_error));
  if (self->calendar_file != NULL && lpc_calendar_file_get_error (self->calendar_file) != NULL)
    add_entry (&builder, "calendar-file-error",
               g_variant_new_string (lpc_calendar_file_get_error (self->calendar_file)));
  add_entry (&builder, "version", g_variant_new_string (PACKAGE_VERSION));
  lpc_agenda1_complete_get_status (object, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_snooze (LpcAgenda1 *object, GDBusMethodInvocation *invocation, const char *arg_id,
               guint arg_minutes)
{
  LpcAgendaService *self = service_of (object);
  g_autoptr (LpcAgendaRow) row = NULL;
  GError *error = NULL;

  row = lpc_agenda_get_item (self->agenda, arg_id, &error);
  if (row == NULL)
    return return_error (invocation, error);
  if (self->reminders == NULL)
    return return_error (invocation,
                         g_error_new (LPC_ERROR, LPC_ERROR_FAILED,
                                      "reminders have not started yet; try again in a moment"));
  if (!lpc_reminder_scheduler_snooze (self->reminders, row->entry->id, arg_minutes, &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_snooze (object, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_conflicts (LpcAgenda1 *object, GDBusMethodInvocation *invocation)
{
  LpcAgendaService *self = service_of (object);
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  g_autoptr (GVariant) records = NULL;
  GError *error = NULL;

  conflicts = lpc_agenda_find_conflicts (self->agenda, &error);
  if (conflicts == NULL)
    return return_error (invocation, error);
  records = g_variant_ref_sink (lpc_conflict_records_new (conflicts, NULL));
  if (!check_reply_size (records, "GetConflicts",
                         "skip or remove picks (Resolve with apply skips the losers) and ask again",
                         &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_get_conflicts (object, invocation, records);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_resolve (LpcAgenda1 *object, GDBusMethodInvocation *invocation, GVariant *arg_options)
{
  LpcAgendaService *self = service_of (object);
  g_autoptr (LpcAgendaResolution) resolution = NULL;
  g_autoptr (GVariant) plan = NULL;
  gboolean apply = FALSE;
  GError *error = NULL;

  if (!lpc_resolve_options_read (arg_options, &apply, &error))
    return return_error (invocation, error);
  resolution = lpc_agenda_resolve_conflicts (self->agenda, apply, &error);
  if (resolution == NULL)
    return return_error (invocation, error);
  plan = g_variant_ref_sink (lpc_plan_record_new (resolution));
  /* Applied or not, the plan is what it is: the error says which. */
  if (check_reply_size (plan, "Resolve",
                        resolution->applied ? "the plan was applied all the same: GetAgenda "
                                              "shows the result a day at a time"
                                            : "nothing was changed",
                        &error))
    lpc_agenda1_complete_resolve (object, invocation, plan);
  else
    return_error (invocation, error);
  if (resolution->changed_ids->len > 0)
    {
      /* Skipped items lose their reminders, moved ones are reminded at
       * their new time. */
      refresh_reminders (self);
      g_ptr_array_add (resolution->changed_ids, NULL);
      lpc_agenda1_emit_agenda_changed (object,
                                       (const char *const *) resolution->changed_ids->pdata);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_free_time (LpcAgenda1 *object, GDBusMethodInvocation *invocation,
                      GVariant *arg_filter)
{
  LpcAgendaService *self = service_of (object);
  g_autoptr (LpcAgendaFreeTime) free_time = NULL;
  g_autoptr (GVariant) records = NULL;
  const char *day = NULL;
  GError *error = NULL;

  if (!lpc_free_time_filter_read (arg_filter, &day, &error))
    return return_error (invocation, error);
  free_time = lpc_agenda_find_free_time (self->agenda, day, &error);
  if (free_time == NULL)
    return return_error (invocation, error);
  records = g_variant_ref_sink (lpc_free_time_records_new (free_time));
  if (!check_reply_size (records, "GetFreeTime", "ask for one day at a time (the filter's day)",
                         &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_get_free_time (object, invocation, records);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_check_program (LpcAgenda1 *object, GDBusMethodInvocation *invocation)
{
  LpcAgendaService *self = service_of (object);
  guint64 total = 0;
  g_autoptr (GPtrArray) defects = lpc_agenda_check_program (self->agenda, &total);
  g_autoptr (GVariant) records = g_variant_ref_sink (lpc_program_clash_records_new (defects));
  GError *error = NULL;

  if (!check_reply_size (records, "CheckProgram",
                         "the program has too many defects to list: fix the program file", &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_check_program (object, invocation, records, total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_export_calendar (LpcAgenda1 *object, GDBusMethodInvocation *invocation,
                        GVariant *arg_options)
{
  static const LpcVardictKey keys[] = {
    { "format", "s" },
    { "all", "b" },
  };
  LpcAgendaService *self = service_of (object);
  LpcCalendarFormat format = LPC_CALENDAR_ICS;
  const char *format_name = NULL;
  gboolean all = FALSE;
  g_autofree char *text = NULL;
  g_autoptr (GVariant) reply = NULL;
  GError *error = NULL;

  if (!lpc_vardict_check (arg_options, "option", keys, G_N_ELEMENTS (keys), &error))
    return return_error (invocation, error);
  g_variant_lookup (arg_options, "all", "b", &all);
  if (g_variant_lookup (arg_options, "format", "&s", &format_name)
      && !lpc_calendar_format_from_string (format_name, &format))
    {
      g_autofree char *quoted = g_strescape (format_name, NULL);
      return return_error (invocation,
                           g_error_new (LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                                        "unknown calendar format '%.64s': \"ics\" or \"json\"",
                                        quoted));
    }
  text = lpc_agenda_export_calendar (self->agenda, format, all, &error);
  if (text == NULL)
    return return_error (invocation, error);
  reply = g_variant_ref_sink (g_variant_new_take_string (g_steal_pointer (&text)));
  if (!check_reply_size (reply, "ExportCalendar", "export skipped items only when needed (all)",
                         &error))
    return return_error (invocation, error);
  lpc_agenda1_complete_export_calendar (object, invocation, g_variant_get_string (reply, NULL));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
lpc_agenda_service_iface_init (LpcAgenda1Iface *iface)
{
  iface->handle_list_talks = handle_list_talks;
  iface->handle_get_talk = handle_get_talk;
  iface->handle_add = handle_add;
  iface->handle_update = handle_update;
  iface->handle_remove = handle_remove;
  iface->handle_skip = handle_skip;
  iface->handle_unskip = handle_unskip;
  iface->handle_snooze = handle_snooze;
  iface->handle_get_agenda = handle_get_agenda;
  iface->handle_get_conflicts = handle_get_conflicts;
  iface->handle_resolve = handle_resolve;
  iface->handle_get_free_time = handle_get_free_time;
  iface->handle_check_program = handle_check_program;
  iface->handle_import_program = handle_import_program;
  iface->handle_replace_program = handle_replace_program;
  iface->handle_export_calendar = handle_export_calendar;
  iface->handle_get_status = handle_get_status;
}

/* ---- the checked vtable ---- */

/* LeadTime and LeadTimes are two views of one setting: both follow it. */
static void
lead_times_changed (LpcAgendaService *self)
{
  lpc_agenda1_set_lead_time (LPC_AGENDA1 (self), lpc_agenda_get_lead_time (self->agenda));
  lpc_agenda1_set_lead_times (LPC_AGENDA1 (self), lpc_agenda_get_lead_times (self->agenda));
  refresh_reminders (self);
}

/* The file is written at once, so that a path that cannot be written is
 * refused to the caller who gave it; the setting then goes back. */
static gboolean
set_calendar_file (LpcAgendaService *self, const char *path, GError **error)
{
  g_autofree char *previous = g_strdup (lpc_agenda_get_calendar_file (self->agenda));
  const char *now;

  if (!lpc_agenda_set_calendar_file (self->agenda, path, error))
    return FALSE;
  if (!lpc_calendar_file_update_now (self->calendar_file, error))
    {
      g_autoptr (GError) restore_error = NULL;

      if (!lpc_agenda_set_calendar_file (self->agenda, previous, &restore_error))
        g_warning ("Could not restore CalendarFile: %s", restore_error->message);
      return FALSE;
    }
  now = lpc_agenda_get_calendar_file (self->agenda);
  lpc_agenda1_set_calendar_file (LPC_AGENDA1 (self), now != NULL ? now : "");
  return TRUE;
}

/* Validated and stored first: a bad value changes nothing. */
static gboolean
set_property (LpcAgendaService *self, const char *property_name, GVariant *value, GError **error)
{
  gboolean lead_time = g_strcmp0 (property_name, "LeadTime") == 0;
  gboolean travel_time = g_strcmp0 (property_name, "TravelTime") == 0;
  guint minutes;

  if (g_strcmp0 (property_name, "SoftOverlap") == 0
      && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    {
      minutes = g_variant_get_uint32 (value);
      if (!lpc_agenda_set_soft_overlap (self->agenda, minutes, error))
        return FALSE;
      lpc_agenda1_set_soft_overlap (LPC_AGENDA1 (self), minutes);
      return TRUE;
    }
  if (g_strcmp0 (property_name, "CalendarFile") == 0
      && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return set_calendar_file (self, g_variant_get_string (value, NULL), error);
  if (g_strcmp0 (property_name, "LeadTimes") == 0
      && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      if (!lpc_agenda_set_lead_times (self->agenda, g_variant_get_string (value, NULL), error))
        return FALSE;
      lead_times_changed (self);
      return TRUE;
    }
  /* GDBus has checked already that the property exists, is writable and got
   * a value of its type; only LeadTime, LeadTimes and TravelTime are
   * writable. */
  if ((!lead_time && !travel_time) || !g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "property %s cannot be set to a value of type %s", property_name,
                   g_variant_get_type_string (value));
      return FALSE;
    }
  minutes = g_variant_get_uint32 (value);
  if (lead_time)
    {
      if (!lpc_agenda_set_lead_time (self->agenda, minutes, error))
        return FALSE;
      lead_times_changed (self);
    }
  else
    {
      if (!lpc_agenda_set_travel_time (self->agenda, minutes, error))
        return FALSE;
      lpc_agenda1_set_travel_time (LPC_AGENDA1 (self), minutes);
      /* Room changes clash by the travel time: so do the reminders' warnings. */
      refresh_reminders (self);
    }
  return TRUE;
}

/* org.freedesktop.DBus.Properties Get, GetAll and Set on our interface. GDBus
 * has checked the interface, the property, its access and the value's type. */
static void
handle_properties_call (LpcAgendaService *self, GDBusMethodInvocation *invocation)
{
  const char *method_name = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *parameters = g_dbus_method_invocation_get_parameters (invocation);
  const char *interface_name;
  const char *property_name;
  GError *error = NULL;

  if (g_strcmp0 (method_name, "Get") == 0)
    {
      g_autoptr (GVariant) value = NULL;

      g_variant_get (parameters, "(&s&s)", &interface_name, &property_name);
      value = self->skeleton_vtable->get_property (
          g_dbus_method_invocation_get_connection (invocation),
          g_dbus_method_invocation_get_sender (invocation),
          g_dbus_method_invocation_get_object_path (invocation), interface_name, property_name,
          &error, self);
      if (value == NULL)
        {
          return_error (invocation, error);
          return;
        }
      g_variant_take_ref (value);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_strcmp0 (method_name, "GetAll") == 0)
    {
      g_autoptr (GVariant) properties
          = g_dbus_interface_skeleton_get_properties (G_DBUS_INTERFACE_SKELETON (self));

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", properties));
    }
  else if (g_strcmp0 (method_name, "Set") == 0)
    {
      g_autoptr (GVariant) value = NULL;

      g_variant_get (parameters, "(&s&sv)", &interface_name, &property_name, &value);
      if (!set_property (self, property_name, value, &error))
        {
          return_error (invocation, error);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "no method %s in org.freedesktop.DBus.Properties",
                                           method_name);
}

static void
run_checked_method_call (GDBusMethodInvocation *invocation, gpointer user_data)
{
  LpcAgendaService *self = user_data;
  const char *interface_name = g_dbus_method_invocation_get_interface_name (invocation);

  if (g_strcmp0 (interface_name, "org.freedesktop.DBus.Properties") == 0)
    {
      handle_properties_call (self, invocation);
      return;
    }
  self->skeleton_vtable->method_call (
      g_dbus_method_invocation_get_connection (invocation),
      g_dbus_method_invocation_get_sender (invocation),
      g_dbus_method_invocation_get_object_path (invocation), interface_name,
      g_dbus_method_invocation_get_method_name (invocation),
      g_dbus_method_invocation_get_parameters (invocation), invocation, self);
}

static void
checked_method_call (GDBusConnection *connection, const char *sender, const char *object_path,
                     const char *interface_name, const char *method_name, GVariant *parameters,
                     GDBusMethodInvocation *invocation, gpointer user_data)
{
  LpcAgendaService *self = user_data;

  lpc_caller_check_method (self->caller_check, invocation, run_checked_method_call, self);
}

static GDBusInterfaceVTable *
lpc_agenda_service_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  return &LPC_AGENDA_SERVICE (skeleton)->checked_vtable;
}

/* ---- the object ---- */

static void
lpc_agenda_service_finalize (GObject *object)
{
  LpcAgendaService *self = LPC_AGENDA_SERVICE (object);

  /* The scheduler first: it borrows the agenda, which outlives us. */
  g_clear_pointer (&self->reminders, lpc_reminder_scheduler_free);
  if (self->calendar_file != NULL)
    lpc_calendar_file_flush (self->calendar_file);
  g_clear_pointer (&self->calendar_file, lpc_calendar_file_free);
  g_clear_pointer (&self->caller_check, lpc_caller_check_free);
  forget_last_talks (self);
  shared_fields_clear (&self->shared);
  G_OBJECT_CLASS (lpc_agenda_service_parent_class)->finalize (object);
}

static void
lpc_agenda_service_class_init (LpcAgendaServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);

  object_class->finalize = lpc_agenda_service_finalize;
  skeleton_class->get_vtable = lpc_agenda_service_get_vtable;
}

static void
lpc_agenda_service_init (LpcAgendaService *self)
{
  GDBusInterfaceSkeletonClass *skeleton_class
      = G_DBUS_INTERFACE_SKELETON_CLASS (lpc_agenda_service_parent_class);

  self->caller_check = lpc_caller_check_new (getuid ());
  shared_fields_init (&self->shared);
  self->skeleton_vtable = skeleton_class->get_vtable (G_DBUS_INTERFACE_SKELETON (self));
  /* No get_property or set_property: GDBus then routes the Properties
   * interface's Get, GetAll and Set through method_call too, where they wait
   * for the caller check like any method. */
  self->checked_vtable = (GDBusInterfaceVTable){
    .method_call = checked_method_call,
  };
}

/* For every signal that says the calendar changed, whatever its arguments:
 * the service is the first argument GObject passes. */
static void
on_calendar_changed (LpcAgendaService *self)
{
  lpc_calendar_file_queue_update (self->calendar_file);
}

LpcAgendaService *
lpc_agenda_service_new (LpcAgenda *agenda)
{
  LpcAgendaService *self = g_object_new (LPC_TYPE_AGENDA_SERVICE, NULL);
  LpcProgram *program = lpc_agenda_get_program (agenda);
  LpcAgenda1 *object = LPC_AGENDA1 (self);

  self->agenda = agenda;
  lpc_agenda1_set_lead_time (object, lpc_agenda_get_lead_time (agenda));
  lpc_agenda1_set_lead_times (object, lpc_agenda_get_lead_times (agenda));
  lpc_agenda1_set_travel_time (object, lpc_agenda_get_travel_time (agenda));
  lpc_agenda1_set_soft_overlap (object, lpc_agenda_get_soft_overlap (agenda));
  lpc_agenda1_set_program_name (object, program->name);
  lpc_agenda1_set_program_timezone (object, program->timezone);
  /* Until lpc_agenda_service_start_reminders(). */
  lpc_agenda1_set_next_reminder (object, 0);
  lpc_agenda1_set_version (object, PACKAGE_VERSION);
  lpc_agenda1_set_calendar_file (object, lpc_agenda_get_calendar_file (agenda) != NULL
                                             ? lpc_agenda_get_calendar_file (agenda)
                                             : "");

  self->calendar_file = lpc_calendar_file_new (agenda);
  g_signal_connect (self, "agenda-changed", G_CALLBACK (on_calendar_changed), NULL);
  g_signal_connect (self, "program-changed", G_CALLBACK (on_calendar_changed), NULL);
  g_signal_connect (self, "notify::lead-times", G_CALLBACK (on_calendar_changed), NULL);
  /* The program or the agenda may have changed while the daemon was not
   * running (a new program file at start): the file is made current now. */
  lpc_calendar_file_queue_update (self->calendar_file);
  return self;
}

/* ---- reminders ---- */

static void
on_reminder_fired (const char *entry_id, gint64 start, gpointer user_data)
{
  lpc_agenda1_emit_reminder_fired (LPC_AGENDA1 (user_data), entry_id, start);
}

static void
on_next_reminder_changed (gpointer user_data)
{
  LpcAgendaService *self = user_data;

  /* During lpc_reminder_scheduler_new() there is no scheduler to ask yet:
   * lpc_agenda_service_start_reminders() sets the value after it. */
  if (self->reminders != NULL)
    lpc_agenda1_set_next_reminder (LPC_AGENDA1 (self),
                                   lpc_reminder_scheduler_get_next (self->reminders));
}

/* The notification's "Skip" action skipped it. */
static void
on_reminder_skipped (const char *entry_id, gpointer user_data)
{
  emit_agenda_changed (user_data, entry_id);
}

/* The reminders' warning line: what each pick clashes with. */
static GHashTable *
on_reminder_dup_clashes (gpointer user_data)
{
  LpcAgendaService *self = user_data;
  g_autoptr (GError) error = NULL;
  GHashTable *clashes = lpc_reminder_clashes_dup (self->agenda, &error);

  if (clashes == NULL)
    g_message ("Reminders go without their clash warnings: %s", error->message);
  return clashes;
}

gboolean
lpc_agenda_service_start_reminders (LpcAgendaService *self, GError **error)
{
  static const LpcReminderSchedulerHooks hooks = {
    .fired = on_reminder_fired,
    .next_changed = on_next_reminder_changed,
    .skipped = on_reminder_skipped,
    .dup_clashes = on_reminder_dup_clashes,
  };

  g_return_val_if_fail (self->reminders == NULL, FALSE);
  self->reminders = lpc_reminder_scheduler_new (self->agenda, lpc_agenda_get_store (self->agenda),
                                                &hooks, self, error);
  if (self->reminders == NULL)
    return FALSE;
  on_next_reminder_changed (self);
  return TRUE;
}
