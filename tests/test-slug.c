/* Unit tests of slugs, ids, identities, parents and occurrence groups, on
 * programs built by hand (the shipped program's ids are checked in
 * test-program-lpc-text.c). */
#include "slug.h"

#include <string.h>

/* 2021-09-20 07:00 PDT, a Monday; the machine's zone (New York in the tests)
 * must play no part. */
#define MON_0700 ((gint64) 1632146400)
#define HOUR ((gint64) 3600)
#define DAY (24 * HOUR)

static void
test_slugify (void)
{
  struct
  {
    const char *title;
    const char *slug;
  } cases[] = {
    { "BPF & Networking Summit", "bpf-networking-summit" },
    { "VFIO/IOMMU/PCI MC", "vfio-iommu-pci-mc" },
    { "  --Leading and trailing!--  ", "leading-and-trailing" },
    { "IoThree's Company MC", "iothrees-company-mc" },
    { "Stéphane Graber", "stephane-graber" },
    { "Jakub Jelínek", "jakub-jelinek" },
    { "15 min Break", "15-min-break" },
    { "Open topic #1", "open-topic-1" },
    { "", "entry" },
    { "!!!", "entry" },
    { "\xe2\x80\x94 \xe2\x80\x9c\xe2\x80\x9d", "entry" }, /* dashes and quotes */
    { "\xe6\x97\xa5\xe6\x9c\xac", "entry" },              /* nothing transliterable */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = lpc_slugify (cases[i].title, LPC_SLUG_MAX_LEN);
      g_assert_cmpstr (slug, ==, cases[i].slug);
    }
}

static void
test_slugify_length (void)
{
  g_autofree char *words
      = lpc_slugify ("Documenting the Heterogeneous Memory Model Architecture", LPC_SLUG_MAX_LEN);
  g_autofree char *exact = lpc_slugify ("abcd efgh", 9);
  g_autofree char *at_dash = lpc_slugify ("abcd efgh ijkl", 9);
  g_autofree char *mid_word = lpc_slugify ("abcd efgh ijkl", 11);
  g_autofree char *one_word = lpc_slugify ("Supercalifragilisticexpialidocious", 10);
  g_autofree char *short_first = lpc_slugify ("a verylongwordindeed", 10);

  /* Cut where a word ends, never inside a word unless it is the only one. */
  g_assert_cmpstr (words, ==, "documenting-the-heterogeneous");
  g_assert_cmpuint (strlen (words), <=, LPC_SLUG_MAX_LEN);
  g_assert_cmpstr (exact, ==, "abcd-efgh");
  g_assert_cmpstr (at_dash, ==, "abcd-efgh");
  g_assert_cmpstr (mid_word, ==, "abcd-efgh");
  g_assert_cmpstr (one_word, ==, "supercalif");
  g_assert_cmpstr (short_first, ==, "a");
}

static LpcEntry *
add (LpcProgram *program, LpcEntryKind kind, const char *title, const char *track, gint64 start,
     const char *speaker)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->kind = kind;
  entry->title = g_strdup (title);
  entry->track = g_strdup (kind == LPC_ENTRY_SESSION ? title : track);
  entry->room = g_strdup ("Room1/Virtual-Room");
  entry->start = start;
  entry->end = start + 20 * 60;
  if (speaker != NULL)
    {
      g_strfreev (entry->speakers);
      entry->speakers = g_strsplit (speaker, ";", -1);
    }
  /* Ids are not known yet: straight into the array, as the importer does. */
  g_ptr_array_add (program->entries, entry);
  return entry;
}

static LpcProgram *
new_program (void)
{
  return lpc_program_new ("Test", "America/Los_Angeles");
}

static void
test_ids_collisions (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *mc = add (program, LPC_ENTRY_SESSION, "Alpha MC", NULL, MON_0700, NULL);
  LpcEntry *mon1 = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + HOUR, NULL);
  LpcEntry *mon2 = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + 2 * HOUR, NULL);
  LpcEntry *mc_tue = add (program, LPC_ENTRY_SESSION, "Alpha MC", NULL, MON_0700 + DAY, NULL);
  LpcEntry *tue = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + DAY + HOUR, NULL);
  LpcEntry *mon3 = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + 3 * HOUR, NULL);
  LpcEntry *unique = add (program, LPC_ENTRY_TALK, "Unique talk", "Alpha MC", MON_0700, NULL);

  lpc_program_assign_ids (program);

  g_assert_cmpstr (unique->id, ==, "unique-talk");
  /* A colliding title gets its day; a title still colliding on that day gets
   * an ordinal too, in program order. */
  g_assert_cmpstr (mc->id, ==, "alpha-mc-mon");
  g_assert_cmpstr (mc_tue->id, ==, "alpha-mc-tue");
  g_assert_cmpstr (mon1->id, ==, "break-mon");
  g_assert_cmpstr (mon2->id, ==, "break-mon-2");
  g_assert_cmpstr (mon3->id, ==, "break-mon-3");
  g_assert_cmpstr (tue->id, ==, "break-tue");

  g_assert_true (lpc_program_lookup (program, "break-mon-2") == mon2);
  g_assert_cmpuint (g_hash_table_size (program->by_id), ==, program->entries->len);
}

static void
test_ids_day_in_program_zone (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  /* 22:30 Monday in Los Angeles is already Tuesday in New York and in UTC. */
  LpcEntry *late = add (program, LPC_ENTRY_TALK, "Late", "T", MON_0700 + 15 * HOUR + 1800, NULL);
  LpcEntry *early = add (program, LPC_ENTRY_TALK, "Late", "T", MON_0700 + DAY, NULL);
  g_autoptr (LpcProgram) utc = lpc_program_new ("UTC test", "UTC");
  LpcEntry *utc_late = add (utc, LPC_ENTRY_TALK, "Late", "T", MON_0700 + 15 * HOUR + 1800, NULL);

  add (utc, LPC_ENTRY_TALK, "Late", "T", MON_0700 + 3 * DAY, NULL);
  lpc_program_assign_ids (program);
  lpc_program_assign_ids (utc);

  g_assert_cmpstr (late->id, ==, "late-mon");
  g_assert_cmpstr (early->id, ==, "late-tue");
  g_assert_cmpstr (utc_late->id, ==, "late-tue");
}

static void
test_ids_generated_never_steal (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *a = add (program, LPC_ENTRY_TALK, "Open topic", "T", MON_0700, NULL);
  LpcEntry *b = add (program, LPC_ENTRY_TALK, "Open topic", "T", MON_0700 + HOUR, NULL);
  /* A title of its own that reads like a generated id. */
  LpcEntry *c = add (program, LPC_ENTRY_TALK, "Open topic Mon 2", "T", MON_0700 + 2 * HOUR, NULL);

  lpc_program_assign_ids (program);

  g_assert_cmpstr (a->id, ==, "open-topic-mon");
  g_assert_cmpstr (c->id, ==, "open-topic-mon-2");
  g_assert_cmpstr (b->id, ==, "open-topic-mon-3");
}

static gboolean
is_id_char (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static void
test_ids_unique_at_scale (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  g_autoptr (LpcProgram) again = new_program ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *titles[]
      = { "Break", "Break 1", "break-mon", "Break Mon 2", "Ünïcödé Break", "Break!", "" };

  for (guint i = 0; i < 3000; i++)
    {
      const char *title = titles[i % G_N_ELEMENTS (titles)];
      gint64 start = MON_0700 + (gint64) (i % 5) * DAY + (gint64) (i % 7) * 60;

      add (program, LPC_ENTRY_BREAK, title, "T", start, NULL);
      add (again, LPC_ENTRY_BREAK, title, "T", start, NULL);
    }
  lpc_program_assign_ids (program);
  lpc_program_assign_ids (again);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const LpcEntry *other = g_ptr_array_index (again->entries, i);

      g_assert_true (g_hash_table_add (seen, entry->id));
      g_assert_cmpuint (strlen (entry->id), >, 0);
      for (const char *p = entry->id; *p != '\0'; p++)
        g_assert_true (is_id_char (*p));
      g_assert_cmpstr (entry->id, ==, other->id);
    }
  g_assert_cmpuint (g_hash_table_size (program->by_id), ==, 3000);
}

static void
test_identity_and_parents (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *block = add (program, LPC_ENTRY_SESSION, "Alpha MC", NULL, MON_0700, NULL);
  LpcEntry *b1 = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + HOUR, NULL);
  LpcEntry *talk = add (program, LPC_ENTRY_TALK, "Talk", "Alpha MC", MON_0700, NULL);
  LpcEntry *b2 = add (program, LPC_ENTRY_BREAK, "Break", "Alpha MC", MON_0700 + 2 * HOUR, NULL);
  LpcEntry *other = add (program, LPC_ENTRY_SESSION, "Beta MC", NULL, MON_0700 + DAY, NULL);
  LpcEntry *b3 = add (program, LPC_ENTRY_BREAK, "Break", "Beta MC", MON_0700 + DAY, NULL);

  lpc_program_assign_ids (program);

  g_assert_cmpstr (block->identity, ==, "session|Alpha MC|Alpha MC|1");
  g_assert_cmpstr (b1->identity, ==, "break|Alpha MC|Break|1");
  g_assert_cmpstr (b2->identity, ==, "break|Alpha MC|Break|2");
  g_assert_cmpstr (b3->identity, ==, "break|Beta MC|Break|1");
  g_assert_cmpstr (talk->identity, ==, "talk|Alpha MC|Talk|1");

  g_assert_null (block->parent_id);
  g_assert_cmpstr (b1->parent_id, ==, block->id);
  g_assert_cmpstr (talk->parent_id, ==, block->id);
  g_assert_cmpstr (b3->parent_id, ==, other->id);

  /* Times and rooms are no part of identity (or id): a moved talk is the same. */
  talk->start += 3 * HOUR;
  g_free (talk->room);
  talk->room = g_strdup ("Elsewhere/Virtual-Room");
  lpc_program_assign_ids (program);
  g_assert_cmpstr (talk->identity, ==, "talk|Alpha MC|Talk|1");
  g_assert_cmpstr (talk->id, ==, "talk");
  g_assert_true (lpc_program_lookup (program, "talk") == talk);
}

static void
test_occurrence_groups (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *android, *reprise, *spf1, *spf2, *ks, *ref, *dufour1, *dufour2;
  LpcEntry *intro1, *intro2, *same1, *same2, *word1, *word2, *brk1, *brk2;

  android = add (program, LPC_ENTRY_SESSION, "Android MC", NULL, MON_0700 + 2 * DAY, NULL);
  spf1 = add (program, LPC_ENTRY_TALK, "Speculative page faults", "Android MC",
              MON_0700 + 2 * DAY + HOUR, "Michel Lespinasse (Facebook);Mr Laurent Dufour");
  intro1 = add (program, LPC_ENTRY_TALK, "Introduction", "Android MC", MON_0700 + 2 * DAY,
                "Aveek Basu");
  same1 = add (program, LPC_ENTRY_TALK, "Open Discussion", "Android MC", MON_0700 + 2 * DAY, NULL);
  same2 = add (program, LPC_ENTRY_TALK, "Open discussion", "Android MC", MON_0700 + 2 * DAY, NULL);
  brk1 = add (program, LPC_ENTRY_BREAK, "Break", "Android MC", MON_0700 + 2 * DAY, NULL);
  word1 = add (program, LPC_ENTRY_TALK, "Wrap-up", "Android MC", MON_0700 + 2 * DAY, NULL);

  ks = add (program, LPC_ENTRY_SESSION, "Kernel Summit", NULL, MON_0700 + 3 * DAY, NULL);
  dufour1 = add (program, LPC_ENTRY_TALK, "Maple trees", "Kernel Summit", MON_0700 + 3 * DAY,
                 "Laurent Dufour (IBM)");
  intro2 = add (program, LPC_ENTRY_TALK, "introduction", "Kernel Summit", MON_0700 + 3 * DAY,
                "Steven Rostedt");

  ref = add (program, LPC_ENTRY_SESSION, "Refereed Track", NULL, MON_0700 + 3 * DAY, NULL);
  dufour2 = add (program, LPC_ENTRY_TALK, "Maple Trees", "Refereed Track", MON_0700 + 3 * DAY,
                 "Dr Laurent DUFOUR");

  reprise = add (program, LPC_ENTRY_SESSION, "Android MC: Android reprise", NULL,
                 MON_0700 + 4 * DAY, NULL);
  spf2 = add (program, LPC_ENTRY_TALK, "Speculative page faults", "Android MC: Android reprise",
              MON_0700 + 4 * DAY + HOUR, NULL);
  brk2 = add (program, LPC_ENTRY_BREAK, "Break", "Android MC: Android reprise", MON_0700 + 4 * DAY,
              NULL);

  add (program, LPC_ENTRY_SESSION, "Androids MC", NULL, MON_0700 + 4 * DAY, NULL);
  word2 = add (program, LPC_ENTRY_TALK, "Wrap-up", "Androids MC", MON_0700 + 4 * DAY, NULL);

  lpc_program_assign_ids (program);
  (void) android;
  (void) ks;
  (void) ref;
  (void) reprise;

  /* "Android MC" / "Android MC: Android reprise": one block's title extends
   * the other's. The group is the first occurrence's id. */
  g_assert_nonnull (spf1->occurrence_group);
  g_assert_cmpstr (spf1->occurrence_group, ==, spf1->id);
  g_assert_cmpstr (spf2->occurrence_group, ==, spf1->id);

  /* A speaker in common, written differently. */
  g_assert_cmpstr (dufour1->occurrence_group, ==, dufour1->id);
  g_assert_cmpstr (dufour2->occurrence_group, ==, dufour1->id);

  /* Same title, nothing else in common. */
  g_assert_null (intro1->occurrence_group);
  g_assert_null (intro2->occurrence_group);
  /* Same title in the same block: two slots, not one talk twice. */
  g_assert_null (same1->occurrence_group);
  g_assert_null (same2->occurrence_group);
  /* Breaks are never occurrences of each other. */
  g_assert_null (brk1->occurrence_group);
  g_assert_null (brk2->occurrence_group);
  /* "Android" is no word-prefix of "Androids". */
  g_assert_null (word1->occurrence_group);
  g_assert_null (word2->occurrence_group);
}

static void
test_occurrence_groups_equal_tracks (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *first, *second, *third;

  /* The same track on three days, the same talk held on each. */
  add (program, LPC_ENTRY_SESSION, "LPC Refereed Track", NULL, MON_0700, NULL);
  first = add (program, LPC_ENTRY_TALK, "Folios", "LPC Refereed Track", MON_0700, NULL);
  add (program, LPC_ENTRY_SESSION, "LPC Refereed Track", NULL, MON_0700 + DAY, NULL);
  second = add (program, LPC_ENTRY_TALK, "Folios", "LPC Refereed Track", MON_0700 + DAY, NULL);
  add (program, LPC_ENTRY_SESSION, "LPC Refereed Track", NULL, MON_0700 + 2 * DAY, NULL);
  third = add (program, LPC_ENTRY_TALK, "Folios", "LPC Refereed Track", MON_0700 + 2 * DAY, NULL);

  lpc_program_assign_ids (program);

  g_assert_cmpstr (first->occurrence_group, ==, first->id);
  g_assert_cmpstr (second->occurrence_group, ==, first->id);
  g_assert_cmpstr (third->occurrence_group, ==, first->id);
  g_assert_cmpstr (first->id, ==, "folios-mon");
  g_assert_cmpstr (third->id, ==, "folios-wed");
  g_assert_cmpstr (second->identity, ==, "talk|LPC Refereed Track|Folios|2");
}

static void
test_assign_twice (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  g_autoptr (GPtrArray) first_ids = g_ptr_array_new_with_free_func (g_free);

  add (program, LPC_ENTRY_SESSION, "Alpha MC", NULL, MON_0700, NULL);
  add (program, LPC_ENTRY_TALK, "Same", "Alpha MC", MON_0700, "A");
  add (program, LPC_ENTRY_SESSION, "Alpha MC", NULL, MON_0700 + DAY, NULL);
  add (program, LPC_ENTRY_TALK, "Same", "Alpha MC", MON_0700 + DAY, "A");

  lpc_program_assign_ids (program);
  for (guint i = 0; i < program->entries->len; i++)
    g_ptr_array_add (first_ids, g_strdup (((LpcEntry *) program->entries->pdata[i])->id));
  /* Again: the same result, nothing leaked or doubled. */
  lpc_program_assign_ids (program);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      g_assert_cmpstr (entry->id, ==, g_ptr_array_index (first_ids, i));
    }
  g_assert_cmpuint (g_hash_table_size (program->by_id), ==, 4);
  g_assert_cmpstr (((LpcEntry *) program->entries->pdata[3])->occurrence_group, ==,
                   ((LpcEntry *) program->entries->pdata[1])->id);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slug/slugify", test_slugify);
  g_test_add_func ("/slug/slugify-length", test_slugify_length);
  g_test_add_func ("/slug/ids/collisions", test_ids_collisions);
  g_test_add_func ("/slug/ids/day-in-program-zone", test_ids_day_in_program_zone);
  g_test_add_func ("/slug/ids/generated-never-steal", test_ids_generated_never_steal);
  g_test_add_func ("/slug/ids/unique-at-scale", test_ids_unique_at_scale);
  g_test_add_func ("/slug/identity-and-parents", test_identity_and_parents);
  g_test_add_func ("/slug/occurrence-groups", test_occurrence_groups);
  g_test_add_func ("/slug/occurrence-groups/equal-tracks", test_occurrence_groups_equal_tracks);
  g_test_add_func ("/slug/assign-twice", test_assign_twice);

  return g_test_run ();
}
