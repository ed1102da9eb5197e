import { count, day, isoTime, line, version } from '../common/shapes';
import * as z from '../common/zod';
import { arrivalDateAllowed, charCount, FIELD_MAX, isCleanHouseholdNo, isCleanText, personNameAllowed } from '../fields';
import { entityIdSchema } from '../ids';
import { CLOSE_REASONS, GENDERS, HOUSEHOLD_CLOSE_REASONS, MOVE_KINDS, RESIDENCE_TYPES } from '../rules';

/*
 * The population book: households and people as staff enter and change them, finding and revealing,
 * and what the API answers with. The rules a change obeys are in ./rules; the file rules in @gridline/book.
 */

export const residenceTypeSchema = z.enum(RESIDENCE_TYPES);

// The field rules live in ../fields (shared with the importer and the forms); these wrap them for the API.
const within = (max: number) => (s: string) => charCount(s) <= max;
const note = z
  .string()
  .check(
    z.trim(),
    z.refine(isCleanText, { message: 'No control characters.' }),
    z.refine(within(FIELD_MAX.note), { message: `At most ${FIELD_MAX.note} characters.` }),
  );
const householdCode = z
  .string()
  .check(
    z.trim(),
    z.minLength(1),
    z.refine(isCleanHouseholdNo, { message: 'A household number has no spaces and no full-width letters or digits.' }),
    z.refine(within(FIELD_MAX.householdNo), { message: `At most ${FIELD_MAX.householdNo} characters.` }),
  );
const arrivalDay = z.iso.date().check(z.refine((d) => arrivalDateAllowed(d), { message: 'The arrival date is in the future.' }));
const isoDay = z.iso.date();
const tagId = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,40}$/));
const tags = () => z.array(tagId).check(z.maxLength(10));
const idOrPhone = () => z.string().check(z.maxLength(40));
const pageLimit = () => z._default(z.int().check(z.minimum(1), z.maximum(100)), 25);
const pageCursor = () => z.optional(z.string().check(z.maxLength(2048)));

const personName = line(FIELD_MAX.name).check(z.refine(personNameAllowed, { message: 'A name may not contain digits or symbols.' }));

/** The address part of a household: community and grid come from the grid; courtyard and door are its own. */
export const newHouseholdSchema = z.strictObject({
  courtyardId: z.optional(entityIdSchema),
  /** 户编号 as the town's books number households; unique within the town when given. */
  code: z.optional(householdCode),
  /** Door: unit and room, e.g. 6单元503室. */
  door: line(FIELD_MAX.door),
});
export type NewHousehold = z.infer<typeof newHouseholdSchema>;

const floatingObject = (arrival: z.ZodMiniType<string>, line: (max: number) => z.ZodMiniType<string>) =>
  z
    .strictObject({
      arrivalDate: arrival,
      origin: z.optional(line(64)),
      reason: z.optional(line(64)),
      permitNo: z.optional(line(32)),
      expectedDeparture: z.optional(isoDay),
      /** The landlord or host household (房东户); its grid comes with it, since households are kept per grid. */
      landlordHouseholdId: z.optional(entityIdSchema),
      landlordGridId: z.optional(entityIdSchema),
    })
    .check(
      z.refine((f) => (f.landlordHouseholdId === undefined) === (f.landlordGridId === undefined), {
        message: 'The landlord household and its grid go together.',
        path: ['landlordHouseholdId'],
      }),
    );

/** Floating-population details (流动人口) as staff enter them: arrival is required, and not in the future. */
export const floatingSchema = floatingObject(arrivalDay, line);

/**
 * The floating details as responses describe them: the shape of `floatingSchema` without its entry
 * rules, so a record kept before a rule tightened still reads back.
 */
export const floatingViewSchema = floatingObject(isoDay, (max) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max)));

/**
 * A person as staff enter one. The ID number and phone arrive in clear over TLS and are checked,
 * encrypted and hashed before anything is stored; responses only ever carry them masked.
 */
export const newPersonSchema = z.strictObject({
  name: personName,
  gender: z.enum(GENDERS),
  ethnicity: z.optional(line(FIELD_MAX.ethnicity)),
  idNumber: idOrPhone(),
  phone: z.optional(idOrPhone()),
  relation: line(FIELD_MAX.relation),
  residenceType: residenceTypeSchema,
  tags: z._default(tags(), []),
  keyTags: z._default(tags(), []),
  floating: z.optional(floatingSchema),
  note: z.optional(note),
});
export type NewPerson = z.infer<typeof newPersonSchema>;

export const personChangeSchema = z.strictObject({
  version,
  name: z.optional(personName),
  phone: z.optional(z.nullable(idOrPhone())),
  relation: z.optional(line(FIELD_MAX.relation)),
  ethnicity: z.optional(line(FIELD_MAX.ethnicity)),
  residenceType: z.optional(residenceTypeSchema),
  tags: z.optional(tags()),
  keyTags: z.optional(tags()),
  floating: z.optional(z.nullable(floatingSchema)),
  note: z.optional(z.nullable(note)),
});

/** Moves are events on the person, never overwrites: arrival, departure, within the town, to another grid. */
export const moveSchema = z
  .strictObject({
    version,
    kind: z.enum(MOVE_KINDS),
    on: isoDay,
    /** For `to_household`: the household the person moves into (possibly in another grid). */
    toGridId: z.optional(entityIdSchema),
    toHouseholdId: z.optional(entityIdSchema),
    origin: z.optional(line(64)),
    note: z.optional(note),
  })
  // An arrival becomes the floating details' arrival date, which the book import refuses in the future.
  .check(
    z.refine((m) => m.kind !== 'arrival' || arrivalDateAllowed(m.on), { message: 'The arrival date is in the future.', path: ['on'] }),
  );

export const closeSchema = z.strictObject({
  version,
  reason: z.enum(CLOSE_REASONS),
  on: isoDay,
  note: z.optional(note),
});

/** Correcting a household's address: courtyard (null: none), 户编号 (null: none) and door. */
export const householdChangeSchema = z.strictObject({
  version,
  courtyardId: z.optional(z.nullable(entityIdSchema)),
  code: z.optional(z.nullable(householdCode)),
  door: z.optional(line(FIELD_MAX.door)),
});
export type HouseholdChange = z.infer<typeof householdChangeSchema>;

/** Closing a household: only once nobody lives in it any more; the record stays, marked closed. */
export const householdCloseSchema = z.strictObject({
  version,
  reason: z.enum(HOUSEHOLD_CLOSE_REASONS),
  on: isoDay,
  note: z.optional(note),
});
export type HouseholdClose = z.infer<typeof householdCloseSchema>;

export const revealSchema = z.strictObject({
  field: z.enum(['idNumber', 'phone']),
  reason: z.string().check(z.trim(), z.minLength(4), z.maxLength(200)),
});

/** Finding people: exactly one criterion; ID numbers and names go in the body, never in a URL. */
export const peopleSearchSchema = z.union([
  z.strictObject({ by: z.literal('idNumber'), idNumber: z.string().check(z.minLength(1), z.maxLength(40)) }),
  z.strictObject({ by: z.literal('name'), prefix: line(32), limit: pageLimit(), cursor: pageCursor() }),
  z.strictObject({ by: z.literal('tag'), tag: tagId, limit: pageLimit(), cursor: pageCursor() }),
  z.strictObject({ by: z.literal('residenceType'), residenceType: residenceTypeSchema, limit: pageLimit(), cursor: pageCursor() }),
]);

export type Floating = z.infer<typeof floatingSchema>;
export type RevealField = z.infer<typeof revealSchema>['field'];
/** A search as the caller writes it (limit and cursor may be left out). */
export type PeopleQuery = z.input<typeof peopleSearchSchema>;
export type SearchBy = PeopleQuery['by'];
export type PersonChange = z.input<typeof personChangeSchema>;
export type Move = z.input<typeof moveSchema>;
export type PersonClose = z.input<typeof closeSchema>;

// ---------------------------------------------------------------------------------------------------
// What the API answers with. ID numbers and phones only ever leave the API masked (or revealed one at a time).

export const householdViewSchema = z.object({
  householdId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  courtyardId: z.optional(z.string()),
  code: z.optional(z.string()),
  door: z.string(),
  members: count,
  status: z.enum(['active', 'closed']),
  closedReason: z.optional(z.enum(HOUSEHOLD_CLOSE_REASONS)),
  closedOn: z.optional(day),
  closedNote: z.optional(z.string()),
  version,
});
export type HouseholdView = z.infer<typeof householdViewSchema>;

export const personViewSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  courtyardId: z.optional(z.string()),
  name: z.string(),
  gender: z.enum(GENDERS),
  ethnicity: z.optional(z.string()),
  birthDate: day,
  idMasked: z.string(),
  phoneMasked: z.optional(z.string()),
  relation: z.string(),
  residenceType: residenceTypeSchema,
  tags: z.array(z.string()),
  /** Only for callers holding the key-group permission. */
  keyTags: z.optional(z.array(z.string())),
  floating: z.optional(floatingViewSchema),
  status: z.enum(['active', 'closed']),
  closedReason: z.optional(z.enum(CLOSE_REASONS)),
  note: z.optional(z.string()),
  version,
});
export type PersonView = z.infer<typeof personViewSchema>;
export const householdCardSchema = z.object({ household: householdViewSchema, members: z.array(personViewSchema) });
export type HouseholdCard = z.infer<typeof householdCardSchema>;
export const personEventSchema = z.object({
  kind: z.string(),
  on: z.optional(day),
  at: isoTime,
  actor: z.string(),
  from: z.optional(z.unknown()),
  to: z.optional(z.unknown()),
  note: z.optional(z.string()),
  /** For a change: which fields it touched. */
  fields: z.optional(z.array(z.string())),
});
export type PersonEvent = z.infer<typeof personEventSchema>;
export const personDetailSchema = z.object({ person: personViewSchema, events: z.array(personEventSchema) });
export type PersonDetail = z.infer<typeof personDetailSchema>;
export const revealedSchema = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string() });
