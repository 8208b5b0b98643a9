/* slug.h: short, stable, human-typable ids from titles. */
#pragma once

#include "program.h"

G_BEGIN_DECLS

/* Lowercase ASCII slug of @title: transliterated (the same on every machine),
 * apostrophes dropped ("IoThree's" gives "iothrees"), runs of anything else
 * but [a-z0-9] become one '-', no leading or trailing '-', cut at a word
 * boundary to at most @max_len characters (a single over-long word is cut
 * hard). Never empty: a title with nothing sluggable gives "entry". */
char *lpc_slugify (const char *title, gsize max_len);

/* Default length of an id's title part. */
#define LPC_SLUG_MAX_LEN 32

/* Gives every entry of @program an id, an identity and a parent_id, and links
 * occurrence groups (whatever these held is replaced, so calling it again is
 * fine). Ids are slugs of titles; where titles collide the day in the
 * program's zone ("-wed") and then, for the second and later on that day, an
 * ordinal ("-2", "-3") are appended, in program order, so the same program
 * text always gives the same ids; an id a title asks for of its own is never
 * handed to another entry as a generated one. Identity: "kind|track|title|n"
 * ('|' and '\' in track and title escaped with a '\'), n counting entries
 * of the same kind, track and title in program order from 1 (no time, no
 * room: a moved talk keeps it). The store keeps ids stable across re-imports
 * by identity; see store.h. parent_id: the nearest block
 * before a talk or break. Occurrence group: talks of the same casefolded
 * title in different blocks that share a speaker, or whose blocks' titles
 * are word-prefixes of one another ("Android MC" and "Android MC: Android
 * reprise"); the value is the first occurrence's id, set on all of them.
 * Linear in the number of entries. Also rebuilds program->by_id. */
void lpc_program_assign_ids (LpcProgram *program);

G_END_DECLS
