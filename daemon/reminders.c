/* reminders.c: the reminder schedule and the reminders' texts. */
#include "reminders.h"

#include "clock.h"
#include "lpc-error.h"

#include <string.h>

/* What the schedule knows of one agenda item: copied from the row, so the
 * caller's rows can go. */
typedef struct
{
  LpcEntry *entry;
  LpcItemState state;
  char *remind; /* NULL: the default leads */
  char *note;
  gint64 previous_start;
  char *previous_room;
  GStrv clashes; /* titles of the picks it clashes with; never NULL */
} Plan;

typedef enum
{
  KEY_IN_FLIGHT, /* taken, not recorded yet */
  KEY_HELD,      /* could not be shown; waits for a server */
  KEY_RETRY,     /* was held, due again */
} KeyStateKind;

/* The in-memory state of one log key (entry, start, lead); a key without
 * one is untouched, or in the log. */
typedef struct
{
  char *entry_id;
  gint64 start;
  gint lead;
  KeyStateKind kind;
} KeyState;

typedef struct
{
  gint64 start; /* the start of the talk it was asked for */
  gint64 due;
  gboolean in_flight;
  gboolean held;
  gboolean again;
} Snooze;

struct _LpcReminders
{
  LpcStore *store; /* borrowed */
  GTimeZone *zone;
  GArray *default_leads; /* gint, largest first */
  gint64 grace;
  GPtrArray *plans;        /* Plan*, by start then id */
  GHashTable *plans_by_id; /* id -> Plan* (borrowed from plans) */
  GHashTable *keys;        /* key string -> KeyState* */
  GHashTable *logged;      /* key string -> GINT_TO_POINTER (1 logged, 2 not) */
  GHashTable *snoozes;     /* id -> Snooze* */
  GHashTable *agenda_keys; /* key strings the last agenda reminds; NULL
                            * before the first set_agenda() */
};

/* ---- small helpers ---- */

static void
plan_free (Plan *plan)
{
  lpc_entry_free (plan->entry);
  g_free (plan->remind);
  g_free (plan->note);
  g_free (plan->previous_room);
  g_strfreev (plan->clashes);
  g_free (plan);
}

static void
key_state_free (KeyState *state)
{
  g_free (state->entry_id);
  g_free (state);
}

static char *
key_string (const char *entry_id, gint64 start, gint lead)
{
  /* Ids are slugs: no '|' in them. */
  return g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%d", entry_id, start, lead);
}

static gboolean
plan_is_remindable (const Plan *plan)
{
  return plan->state == LPC_ITEM_PLANNED || plan->state == LPC_ITEM_MOVED;
}

/* Parses a normalised spec ("10,0", "off", "") into @leads, largest first. */
static gboolean
parse_leads (const char *spec, GArray *leads, GError **error)
{
  g_autofree char *normalized = lpc_agenda_normalize_remind (spec, error);
  g_auto (GStrv) parts = NULL;

  if (normalized == NULL)
    return FALSE;
  g_array_set_size (leads, 0);
  if (*normalized == '\0' || strcmp (normalized, "off") == 0)
    return TRUE;
  parts = g_strsplit (normalized, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint lead = (gint) g_ascii_strtoll (parts[i], NULL, 10);
      g_array_append_val (leads, lead);
    }
  return TRUE;
}

/* The leads @plan is reminded at: its own, or the default. */
static GArray *
plan_leads (LpcReminders *reminders, const Plan *plan)
{
  GArray *leads = g_array_new (FALSE, FALSE, sizeof (gint));

  if (plan->remind == NULL || *plan->remind == '\0')
    {
      g_array_append_vals (leads, reminders->default_leads->data, reminders->default_leads->len);
      return leads;
    }
  /* The store validated it; a spec it somehow let through means no
   * reminder rather than a crash. */
  if (!parse_leads (plan->remind, leads, NULL))
    g_array_set_size (leads, 0);
  return leads;
}

static gboolean
leads_contain (GArray *leads, gint lead)
{
  for (guint i = 0; i < leads->len; i++)
    {
      if (g_array_index (leads, gint, i) == lead)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_logged (LpcReminders *reminders, const char *key, const char *entry_id, gint64 start, gint lead)
{
  gpointer cached = g_hash_table_lookup (reminders->logged, key);
  gboolean logged;

  /* Only this daemon writes the log (a second one on the same database is
   * refused), so what it read or wrote once stays true. */
  if (cached != NULL)
    return GPOINTER_TO_INT (cached) == 1;
  logged = lpc_store_reminder_logged (reminders->store, entry_id, start, lead);
  g_hash_table_insert (reminders->logged, g_strdup (key), GINT_TO_POINTER (logged ? 1 : 2));
  return logged;
}

/* ---- texts ---- */

static char *
format_span (gint64 minutes)
{
  if (minutes < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min", minutes);
  if (minutes % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h", minutes / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", minutes / 60,
                          minutes % 60);
}

/* "Mon 20 Sep, 10:00–10:45 PDT (America/Los_Angeles)"; the end's day too
 * when it differs. The rule for times in texts is lpc_time_text()'s. */
static char *
format_range (LpcReminders *reminders, gint64 start, gint64 end)
{
  return lpc_time_text_span (reminders->zone, start, end, LPC_TIME_TEXT_DATE, "–");
}

/* The body's lines, plain: time range, room, track, people, note, clashes. */
static GPtrArray *
body_lines (LpcReminders *reminders, const Plan *plan)
{
  const LpcEntry *entry = plan->entry;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *range = format_range (reminders, entry->start, entry->end);

  if (entry->room != NULL && *entry->room != '\0')
    g_ptr_array_add (lines, g_strdup_printf ("%s · %s", range, entry->room));
  else
    g_ptr_array_add (lines, g_steal_pointer (&range));
  if (entry->track != NULL && *entry->track != '\0' && g_strcmp0 (entry->track, entry->title) != 0)
    g_ptr_array_add (lines, g_strdup (entry->track));
  if (entry->speakers != NULL && entry->speakers[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", entry->speakers);
      g_ptr_array_add (
          lines,
          g_strdup_printf ("%s: %s", entry->speakers[1] != NULL ? "Speakers" : "Speaker", names));
    }
  if (entry->conveners != NULL && entry->conveners[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", entry->conveners);
      g_ptr_array_add (
          lines, g_strdup_printf ("%s: %s", entry->conveners[1] != NULL ? "Conveners" : "Convener",
                                  names));
    }
  if (plan->note != NULL && *plan->note != '\0')
    g_ptr_array_add (lines, g_strdup_printf ("Note: %s", plan->note));
  if (plan->clashes[0] != NULL)
    {
      g_autofree char *titles = g_strjoinv ("; ", plan->clashes);
      g_ptr_array_add (lines, g_strdup_printf ("⚠ Clashes with: %s", titles));
    }
  return lines;
}

/* Fills body (markup: each line escaped, since titles have '&' and
 * abstracts '<' '>') and body_text from @lines. */
static void
set_body (LpcReminder *reminder, GPtrArray *lines)
{
  g_autoptr (GString) markup = g_string_new (NULL);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *escaped = g_markup_escape_text (line, -1);

      if (i > 0)
        {
          g_string_append_c (markup, '\n');
          g_string_append_c (text, '\n');
        }
      g_string_append (markup, escaped);
      g_string_append (text, line);
    }
  g_free (reminder->body);
  g_free (reminder->body_text);
  reminder->body = g_string_free (g_steal_pointer (&markup), FALSE);
  reminder->body_text = g_string_free (g_steal_pointer (&text), FALSE);
}

/* The summary of a reminder taken at @now. */
static char *
make_summary (const LpcReminder *reminder, gint64 now)
{
  const char *title = reminder->title;
  gint64 delta = reminder->start - now;
  gint64 minutes = (ABS (delta) + 30) / 60;
  g_autofree char *span = NULL;

  switch (reminder->kind)
    {
    case LPC_REMINDER_KIND_ON_TIME:
      {
        /* On time, the lead says it better than a clock read a few
         * milliseconds late would. */
        gint lead = g_array_index (reminder->leads, gint, reminder->leads->len - 1);
        if (lead == 0)
          return g_strdup_printf ("Now: %s", title);
        span = format_span (lead);
        return g_strdup_printf ("In %s: %s", span, title);
      }
    case LPC_REMINDER_KIND_LATE:
    case LPC_REMINDER_KIND_SNOOZED:
      if (minutes == 0)
        return g_strdup_printf ("Now: %s", title);
      span = format_span (minutes);
      if (delta < 0)
        return g_strdup_printf ("Started %s ago: %s", span, title);
      return g_strdup_printf (
          reminder->kind == LPC_REMINDER_KIND_LATE ? "Starts in %s: %s" : "In %s: %s", span, title);
    case LPC_REMINDER_KIND_MISSED:
      return g_strdup_printf ("Missed: %s", title);
    case LPC_REMINDER_KIND_MOVED:
    case LPC_REMINDER_KIND_CANCELLED:
    default:
      g_assert_not_reached ();
    }
}

static LpcReminder *
reminder_new (LpcReminderKind kind, const Plan *plan)
{
  LpcReminder *reminder = g_new0 (LpcReminder, 1);

  reminder->kind = kind;
  reminder->entry_id = g_strdup (plan->entry->id);
  reminder->title = g_strdup (plan->entry->title);
  reminder->start = plan->entry->start;
  reminder->end = plan->entry->end;
  reminder->leads = g_array_new (FALSE, FALSE, sizeof (gint));
  return reminder;
}

LpcReminder *
lpc_reminder_copy (const LpcReminder *reminder)
{
  LpcReminder *copy = g_new0 (LpcReminder, 1);

  *copy = *reminder;
  copy->entry_id = g_strdup (reminder->entry_id);
  copy->title = g_strdup (reminder->title);
  copy->leads = g_array_copy (reminder->leads);
  copy->summary = g_strdup (reminder->summary);
  copy->body = g_strdup (reminder->body);
  copy->body_text = g_strdup (reminder->body_text);
  return copy;
}

void
lpc_reminder_free (LpcReminder *reminder)
{
  if (reminder == NULL)
    return;
  g_free (reminder->entry_id);
  g_free (reminder->title);
  g_array_unref (reminder->leads);
  g_free (reminder->summary);
  g_free (reminder->body);
  g_free (reminder->body_text);
  g_free (reminder);
}

const char *
lpc_reminder_kind_to_string (LpcReminderKind kind)
{
  switch (kind)
    {
    case LPC_REMINDER_KIND_ON_TIME:
      return "on-time";
    case LPC_REMINDER_KIND_LATE:
      return "late";
    case LPC_REMINDER_KIND_SNOOZED:
      return "snoozed";
    case LPC_REMINDER_KIND_MISSED:
      return "missed";
    case LPC_REMINDER_KIND_MOVED:
      return "moved";
    case LPC_REMINDER_KIND_CANCELLED:
      return "cancelled";
    default:
      g_assert_not_reached ();
    }
}

gboolean
lpc_reminder_is_notice (const LpcReminder *reminder)
{
  return reminder->kind == LPC_REMINDER_KIND_MOVED || reminder->kind == LPC_REMINDER_KIND_CANCELLED;
}

gboolean
lpc_reminder_is_shown (const LpcReminder *reminder)
{
  return reminder->kind == LPC_REMINDER_KIND_ON_TIME || reminder->kind == LPC_REMINDER_KIND_LATE
         || reminder->kind == LPC_REMINDER_KIND_SNOOZED;
}

/* ---- the schedule ---- */

LpcReminders *
lpc_reminders_new (LpcStore *store, GTimeZone *local_zone)
{
  LpcReminders *reminders = g_new0 (LpcReminders, 1);
  gint lead = LPC_LEAD_TIME_DEFAULT;

  reminders->store = store;
  reminders->zone = g_time_zone_ref (local_zone);
  reminders->default_leads = g_array_new (FALSE, FALSE, sizeof (gint));
  g_array_append_val (reminders->default_leads, lead);
  reminders->grace = LPC_REMINDERS_GRACE_DEFAULT;
  reminders->plans = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  reminders->plans_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  reminders->keys
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_state_free);
  reminders->logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reminders->snoozes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return reminders;
}

void
lpc_reminders_free (LpcReminders *reminders)
{
  if (reminders == NULL)
    return;
  g_time_zone_unref (reminders->zone);
  g_array_unref (reminders->default_leads);
  g_hash_table_unref (reminders->plans_by_id);
  g_ptr_array_unref (reminders->plans);
  g_hash_table_unref (reminders->keys);
  g_hash_table_unref (reminders->logged);
  g_hash_table_unref (reminders->snoozes);
  g_clear_pointer (&reminders->agenda_keys, g_hash_table_unref);
  g_free (reminders);
}

/* Drops in-memory state that no longer matches the agenda: keys and snoozes
 * of items no longer reminded, or reminded for another start or lead. */
static void
prune (LpcReminders *reminders)
{
  GHashTableIter iter;
  gpointer value;
  gpointer key;

  g_hash_table_iter_init (&iter, reminders->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KeyState *state = value;
      Plan *plan = g_hash_table_lookup (reminders->plans_by_id, state->entry_id);
      g_autoptr (GArray) leads = NULL;

      if (plan == NULL || !plan_is_remindable (plan) || plan->entry->start != state->start)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      leads = plan_leads (reminders, plan);
      if (!leads_contain (leads, state->lead))
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, reminders->snoozes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Snooze *snooze = value;
      Plan *plan = g_hash_table_lookup (reminders->plans_by_id, key);

      if (plan == NULL || !plan_is_remindable (plan) || plan->entry->start != snooze->start)
        g_hash_table_iter_remove (&iter);
    }
}

gboolean
lpc_reminders_set_default_leads (LpcReminders *reminders, const char *spec, GError **error)
{
  g_autoptr (GArray) leads = g_array_new (FALSE, FALSE, sizeof (gint));

  if (!parse_leads (spec, leads, error))
    return FALSE;
  g_array_unref (reminders->default_leads);
  reminders->default_leads = g_steal_pointer (&leads);
  prune (reminders);
  return TRUE;
}

void
lpc_reminders_set_grace (LpcReminders *reminders, gint64 seconds)
{
  reminders->grace = MAX (seconds, 0);
}

static gint
compare_plans (gconstpointer a, gconstpointer b)
{
  const Plan *pa = *(const Plan *const *) a;
  const Plan *pb = *(const Plan *const *) b;

  if (pa->entry->start != pb->entry->start)
    return pa->entry->start < pb->entry->start ? -1 : 1;
  return strcmp (pa->entry->id, pb->entry->id);
}

/* Records in the log, as void, @key of @plan: never owed, so never due. */
static void
log_void (LpcReminders *reminders, const Plan *plan, const char *key, gint lead, gint64 now)
{
  g_autoptr (GError) error = NULL;

  if (!lpc_store_log_reminder (reminders->store, plan->entry->id, plan->entry->start, lead, now,
                               LPC_REMINDER_VOID, &error))
    g_message ("Cannot record that the reminder for %s was never due: %s", plan->entry->id,
               error->message);
  /* Even unrecorded: this run must not take it for a missed one. */
  g_hash_table_replace (reminders->logged, g_strdup (key), GINT_TO_POINTER (1));
}

/* The missed-reminder rule, its one place. A reminder (entry, start, lead)
 * is owed from the instant its item is planned with that lead for that
 * start; an owed reminder not shown by the talk's end was missed — it fell
 * due while the daemon was not running or the machine slept (a running,
 * awake daemon takes it at its instant), or no notification server showed
 * it. A key that appears while this daemon runs (the item was added,
 * planned again after a skip, given the lead, or moved by a re-import) is
 * owed only from then: if its talk has already ended it was never owed, and
 * is logged void so that no later run takes it for missed; if the talk has
 * not ended its late reminder is shown as usual. Keys present at the first
 * set_agenda() of a run were planned while an earlier run could see them:
 * owed. */
static void
settle_new_keys (LpcReminders *reminders, gint64 now)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < reminders->plans->len; i++)
    {
      const Plan *plan = g_ptr_array_index (reminders->plans, i);
      g_autoptr (GArray) leads = NULL;

      if (!plan_is_remindable (plan))
        continue;
      leads = plan_leads (reminders, plan);
      for (guint l = 0; l < leads->len; l++)
        {
          gint lead = g_array_index (leads, gint, l);
          char *key = key_string (plan->entry->id, plan->entry->start, lead);

          if (reminders->agenda_keys != NULL && !g_hash_table_contains (reminders->agenda_keys, key)
              && plan->entry->end <= now
              && !is_logged (reminders, key, plan->entry->id, plan->entry->start, lead))
            log_void (reminders, plan, key, lead, now);
          g_hash_table_add (keys, key);
        }
    }
  g_clear_pointer (&reminders->agenda_keys, g_hash_table_unref);
  reminders->agenda_keys = keys;
}

void
lpc_reminders_set_agenda (LpcReminders *reminders, GPtrArray *rows, GHashTable *clashes, gint64 now)
{
  g_hash_table_remove_all (reminders->plans_by_id);
  g_ptr_array_set_size (reminders->plans, 0);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const LpcAgendaRow *row = g_ptr_array_index (rows, i);
      const char *const *titles
          = clashes != NULL ? g_hash_table_lookup (clashes, row->entry->id) : NULL;
      Plan *plan = g_new0 (Plan, 1);

      plan->entry = lpc_entry_copy (row->entry);
      plan->state = row->item->state;
      plan->remind = g_strdup (row->item->remind);
      plan->note = g_strdup (row->item->note);
      plan->previous_start = row->item->previous_start;
      plan->previous_room = g_strdup (row->item->previous_room);
      plan->clashes = titles != NULL ? g_strdupv ((char **) titles) : g_new0 (char *, 1);
      g_ptr_array_add (reminders->plans, plan);
    }
  g_ptr_array_sort (reminders->plans, compare_plans);
  for (guint i = 0; i < reminders->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (reminders->plans, i);
      g_hash_table_replace (reminders->plans_by_id, plan->entry->id, plan);
    }
  prune (reminders);
  settle_new_keys (reminders, now);
}

/* Where one plan stands: its earliest pending due instant, and what the
 * timer must wake for. */
typedef struct
{
  gint64 next_due;    /* earliest untouched (or retry) key or active snooze; 0 none */
  gint64 next_wakeup; /* next_due, or the end when something is held; 0 none */
} PlanTimes;

static gint64
earliest (gint64 a, gint64 b)
{
  if (a == 0)
    return b;
  if (b == 0)
    return a;
  return MIN (a, b);
}

static PlanTimes
plan_times (LpcReminders *reminders, const Plan *plan)
{
  PlanTimes times = { 0, 0 };
  g_autoptr (GArray) leads = NULL;
  Snooze *snooze;

  if (!plan_is_remindable (plan))
    return times;
  leads = plan_leads (reminders, plan);
  for (guint i = 0; i < leads->len; i++)
    {
      gint lead = g_array_index (leads, gint, i);
      g_autofree char *key = key_string (plan->entry->id, plan->entry->start, lead);
      KeyState *state = g_hash_table_lookup (reminders->keys, key);
      gint64 due = plan->entry->start - 60 * (gint64) lead;

      if (state != NULL && state->kind == KEY_IN_FLIGHT)
        continue;
      if (state != NULL && state->kind == KEY_HELD)
        {
          times.next_wakeup = earliest (times.next_wakeup, plan->entry->end);
          continue;
        }
      if (is_logged (reminders, key, plan->entry->id, plan->entry->start, lead))
        continue;
      times.next_due = earliest (times.next_due, due);
    }
  snooze = g_hash_table_lookup (reminders->snoozes, plan->entry->id);
  if (snooze != NULL && !snooze->in_flight)
    {
      if (snooze->held)
        times.next_wakeup = earliest (times.next_wakeup, plan->entry->end);
      else
        times.next_due = earliest (times.next_due, snooze->due);
    }
  times.next_wakeup = earliest (times.next_wakeup, times.next_due);
  return times;
}

gint64
lpc_reminders_get_next_due (LpcReminders *reminders, gint64 now)
{
  gint64 next = 0;

  for (guint i = 0; i < reminders->plans->len; i++)
    {
      const Plan *plan = g_ptr_array_index (reminders->plans, i);

      if (plan->entry->end > now)
        next = earliest (next, plan_times (reminders, plan).next_due);
    }
  return next;
}

gint64
lpc_reminders_get_next_due_for (LpcReminders *reminders, const char *entry_id, gint64 now)
{
  const Plan *plan = g_hash_table_lookup (reminders->plans_by_id, entry_id);

  if (plan == NULL || plan->entry->end <= now)
    return 0;
  return plan_times (reminders, plan).next_due;
}

gint64
lpc_reminders_get_next_wakeup (LpcReminders *reminders)
{
  gint64 next = 0;

  for (guint i = 0; i < reminders->plans->len; i++)
    next = earliest (next,
                     plan_times (reminders, g_ptr_array_index (reminders->plans, i)).next_wakeup);
  return next;
}

static void
set_key_state (LpcReminders *reminders, const char *entry_id, gint64 start, gint lead,
               KeyStateKind kind)
{
  KeyState *state = g_new0 (KeyState, 1);

  state->entry_id = g_strdup (entry_id);
  state->start = start;
  state->lead = lead;
  state->kind = kind;
  g_hash_table_replace (reminders->keys, key_string (entry_id, start, lead), state);
}

/* The reminder @plan has due at @now, or NULL. */
static LpcReminder *
take_plan (LpcReminders *reminders, const Plan *plan, gint64 now)
{
  const LpcEntry *entry = plan->entry;
  gboolean ended = entry->end <= now;
  g_autoptr (GArray) leads = plan_leads (reminders, plan);
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (gint));
  Snooze *snooze = g_hash_table_lookup (reminders->snoozes, entry->id);
  gboolean take_snooze = FALSE;
  gboolean again = FALSE;
  g_autoptr (LpcReminder) reminder = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  for (guint i = 0; i < leads->len; i++)
    {
      gint lead = g_array_index (leads, gint, i);
      g_autofree char *key = key_string (entry->id, entry->start, lead);
      KeyState *state = g_hash_table_lookup (reminders->keys, key);

      if (state != NULL && state->kind == KEY_IN_FLIGHT)
        continue;
      /* A held key waits for a server, unless the talk is over: then it is
       * missed. */
      if (state != NULL && state->kind == KEY_HELD && !ended)
        continue;
      if (state == NULL && is_logged (reminders, key, entry->id, entry->start, lead))
        continue;
      if (entry->start - 60 * (gint64) lead > now)
        continue;
      if (state != NULL) /* held or retried: it was taken before */
        again = TRUE;
      g_array_append_val (taken, lead);
    }

  if (snooze != NULL && ended)
    {
      /* Never after the talk: a snooze still waiting is simply dropped. */
      g_hash_table_remove (reminders->snoozes, entry->id);
      snooze = NULL;
    }
  else if (snooze != NULL && !snooze->in_flight && !snooze->held && snooze->due <= now)
    take_snooze = TRUE;

  if (taken->len == 0 && !take_snooze)
    return NULL;

  if (taken->len > 0)
    {
      /* One reminder covers every lead due by now (the talk has not ended:
       * one reminder, not one per lead missed); the latest of them says
       * whether it comes on time. An ended talk took no snooze, so a missed
       * reminder always has leads. */
      gint latest = g_array_index (taken, gint, taken->len - 1);
      gint64 due = entry->start - 60 * (gint64) latest;
      LpcReminderKind kind;

      if (ended)
        kind = LPC_REMINDER_KIND_MISSED;
      else if (now - due <= reminders->grace)
        kind = LPC_REMINDER_KIND_ON_TIME;
      else
        kind = LPC_REMINDER_KIND_LATE;
      reminder = reminder_new (kind, plan);
      reminder->due = due;
    }
  else
    {
      reminder = reminder_new (LPC_REMINDER_KIND_SNOOZED, plan);
      reminder->due = snooze->due;
    }
  g_array_append_vals (reminder->leads, taken->data, taken->len);
  reminder->again = again || (take_snooze && snooze->again);
  if (take_snooze)
    {
      reminder->snooze = TRUE;
      snooze->in_flight = TRUE;
    }
  for (guint i = 0; i < taken->len; i++)
    set_key_state (reminders, entry->id, entry->start, g_array_index (taken, gint, i),
                   KEY_IN_FLIGHT);

  reminder->summary = make_summary (reminder, now);
  lines = body_lines (reminders, plan);
  set_body (reminder, lines);
  return g_steal_pointer (&reminder);
}

GPtrArray *
lpc_reminders_take_due (LpcReminders *reminders, gint64 now)
{
  GPtrArray *due = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_reminder_free);

  for (guint i = 0; i < reminders->plans->len; i++)
    {
      const Plan *plan = g_ptr_array_index (reminders->plans, i);
      LpcReminder *reminder;

      if (!plan_is_remindable (plan))
        continue;
      reminder = take_plan (reminders, plan, now);
      if (reminder != NULL)
        g_ptr_array_add (due, reminder);
    }
  return due;
}

gboolean
lpc_reminders_record (LpcReminders *reminders, const LpcReminder *reminder, gint64 at,
                      GError **error)
{
  LpcReminderOutcome outcome
      = reminder->kind == LPC_REMINDER_KIND_MISSED ? LPC_REMINDER_MISSED : LPC_REMINDER_SHOWN;
  GError *first_error = NULL;

  if (lpc_reminder_is_notice (reminder))
    return TRUE;
  for (guint i = 0; i < reminder->leads->len; i++)
    {
      gint lead = g_array_index (reminder->leads, gint, i);
      g_autofree char *key = key_string (reminder->entry_id, reminder->start, lead);
      GError *local_error = NULL;

      if (!lpc_store_log_reminder (reminders->store, reminder->entry_id, reminder->start, lead, at,
                                   outcome, &local_error))
        {
          if (first_error == NULL)
            first_error = local_error;
          else
            g_error_free (local_error);
        }
      /* Even when the log could not be written: the user saw it, and this
       * daemon must not show it again. */
      g_hash_table_replace (reminders->logged, g_strdup (key), GINT_TO_POINTER (1));
      g_hash_table_remove (reminders->keys, key);
    }
  if (reminder->snooze)
    {
      Snooze *snooze = g_hash_table_lookup (reminders->snoozes, reminder->entry_id);

      /* Unless a newer snooze replaced it meanwhile. */
      if (snooze != NULL && snooze->in_flight && snooze->start == reminder->start)
        g_hash_table_remove (reminders->snoozes, reminder->entry_id);
    }
  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

void
lpc_reminders_mark_failed (LpcReminders *reminders, const LpcReminder *reminder)
{
  if (!lpc_reminder_is_shown (reminder))
    return;
  for (guint i = 0; i < reminder->leads->len; i++)
    {
      gint lead = g_array_index (reminder->leads, gint, i);
      g_autofree char *key = key_string (reminder->entry_id, reminder->start, lead);
      KeyState *state = g_hash_table_lookup (reminders->keys, key);

      /* Only keys still in flight: set_agenda() may have dropped them since
       * (the item was skipped, or moved). */
      if (state != NULL && state->kind == KEY_IN_FLIGHT)
        state->kind = KEY_HELD;
    }
  if (reminder->snooze)
    {
      Snooze *snooze = g_hash_table_lookup (reminders->snoozes, reminder->entry_id);

      if (snooze != NULL && snooze->in_flight && snooze->start == reminder->start)
        {
          snooze->in_flight = FALSE;
          snooze->held = TRUE;
        }
    }
}

gboolean
lpc_reminders_release_held (LpcReminders *reminders)
{
  GHashTableIter iter;
  gpointer value;
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, reminders->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KeyState *state = value;

      if (state->kind == KEY_HELD)
        {
          state->kind = KEY_RETRY;
          any = TRUE;
        }
    }
  g_hash_table_iter_init (&iter, reminders->snoozes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Snooze *snooze = value;

      if (snooze->held)
        {
          snooze->held = FALSE;
          snooze->again = TRUE;
          any = TRUE;
        }
    }
  return any;
}

gboolean
lpc_reminders_snooze (LpcReminders *reminders, const char *entry_id, guint minutes, gint64 now,
                      GError **error)
{
  const Plan *plan = g_hash_table_lookup (reminders->plans_by_id, entry_id);
  gint64 due = now + 60 * (gint64) minutes;
  Snooze *snooze;

  if (plan == NULL || !plan_is_remindable (plan))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK,
                   "'%s' is not a planned item of your agenda: only those have reminders",
                   entry_id);
      return FALSE;
    }
  if (minutes < 1 || minutes > LPC_LEAD_TIME_MAX)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "a snooze is 1 to %d minutes, not %u", LPC_LEAD_TIME_MAX, minutes);
      return FALSE;
    }
  if (now >= plan->entry->end)
    {
      g_autofree char *end = lpc_time_text (reminders->zone, plan->entry->end, LPC_TIME_TEXT_DATE);
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "'%s' ended at %s: there is nothing left to remind you of", plan->entry->title,
                   end);
      return FALSE;
    }
  if (due >= plan->entry->end)
    {
      g_autofree char *end
          = lpc_time_text (reminders->zone, plan->entry->end, LPC_TIME_TEXT_WEEKDAY);
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "'%s' ends at %s, before a %u-minute snooze would run out", plan->entry->title,
                   end, minutes);
      return FALSE;
    }
  snooze = g_new0 (Snooze, 1);
  snooze->start = plan->entry->start;
  snooze->due = due;
  g_hash_table_replace (reminders->snoozes, g_strdup (entry_id), snooze);
  return TRUE;
}

/* ---- notices ---- */

static LpcReminder *
make_moved_notice (LpcReminders *reminders, const Plan *plan)
{
  const LpcEntry *entry = plan->entry;
  LpcReminder *notice = reminder_new (LPC_REMINDER_KIND_MOVED, plan);
  g_autoptr (GPtrArray) lines = body_lines (reminders, plan);
  gboolean time_changed = plan->previous_start != 0 && plan->previous_start != entry->start;
  gboolean room_changed
      = plan->previous_room != NULL && g_strcmp0 (plan->previous_room, entry->room) != 0;
  g_autoptr (GString) summary = g_string_new (NULL);

  g_string_append_printf (summary, "Moved: %s", entry->title);
  if (time_changed)
    {
      g_autofree char *span = lpc_time_text_span (reminders->zone, plan->previous_start,
                                                  entry->start, LPC_TIME_TEXT_CLOCK, " → ");

      g_string_append_printf (summary, " %s", span);
    }
  if (room_changed)
    g_string_append_printf (summary, "%s%s", time_changed ? ", " : " to ", entry->room);
  notice->summary = g_string_free (g_steal_pointer (&summary), FALSE);

  if (plan->previous_start != 0 || plan->previous_room != NULL)
    {
      g_autofree char *was
          = plan->previous_start != 0
                ? lpc_time_text (reminders->zone, plan->previous_start, LPC_TIME_TEXT_WEEKDAY)
                : NULL;
      const char *room = plan->previous_room != NULL ? plan->previous_room : entry->room;

      g_ptr_array_add (lines, g_strdup_printf ("Was: %s%s%s", was != NULL ? was : "",
                                               was != NULL && room != NULL ? " · " : "",
                                               room != NULL ? room : ""));
    }
  set_body (notice, lines);
  return notice;
}

static LpcReminder *
make_cancelled_notice (LpcReminders *reminders, const Plan *plan)
{
  LpcReminder *notice = reminder_new (LPC_REMINDER_KIND_CANCELLED, plan);
  g_autoptr (GPtrArray) lines = body_lines (reminders, plan);

  notice->summary = g_strdup_printf ("Cancelled: %s", plan->entry->title);
  g_ptr_array_insert (lines, 0,
                      g_strdup ("No longer in the program; it stays on your agenda as cancelled."));
  set_body (notice, lines);
  return notice;
}

LpcReminder *
lpc_reminders_make_notice (LpcReminders *reminders, const char *entry_id)
{
  const Plan *plan = g_hash_table_lookup (reminders->plans_by_id, entry_id);

  if (plan == NULL)
    return NULL;
  if (plan->state == LPC_ITEM_MOVED)
    return make_moved_notice (reminders, plan);
  if (plan->state == LPC_ITEM_CANCELLED)
    return make_cancelled_notice (reminders, plan);
  return NULL;
}
