import * as z from 'zod';
import { entityIdSchema } from './ids';
import { arrivalDateAllowed, charCount, FIELD_MAX, isCleanHouseholdNo, isCleanLine, isCleanText, personNameAllowed } from './fields';
import { CLOSE_REASONS, GENDERS, HOUSEHOLD_CLOSE_REASONS, MOVE_KINDS, RESIDENCE_TYPES } from './rules';

export const residenceTypeSchema = z.enum(RESIDENCE_TYPES);

// The field rules live in ./fields (shared with the importer and the forms); these wrap them for the API.
const within = (max: number) => (s: string) => charCount(s) <= max;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(isCleanLine, { message: 'Single-line text: no line breaks, control characters or runs of spaces.' })
    .refine(within(max), { message: `At most ${max} characters.` });
const note = z
  .string()
  .trim()
  .refine(isCleanText, { message: 'No control characters.' })
  .refine(within(FIELD_MAX.note), { message: `At most ${FIELD_MAX.note} characters.` });
const householdCode = z
  .string()
  .trim()
  .min(1)
  .refine(isCleanHouseholdNo, { message: 'A household number has no spaces and no full-width letters or digits.' })
  .refine(within(FIELD_MAX.householdNo), { message: `At most ${FIELD_MAX.householdNo} characters.` });
const arrivalDay = z.iso.date().refine((d) => arrivalDateAllowed(d), { message: 'The arrival date is in the future.' });
const isoDay = z.iso.date();
const tagId = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/);
const version = z.number().int().min(1);

const personName = text(FIELD_MAX.name).refine(personNameAllowed, { message: 'A name may not contain digits or symbols.' });

/** The address part of a household: community and grid come from the grid; courtyard and door are its own. */
export const newHouseholdSchema = z.strictObject({
  courtyardId: entityIdSchema.optional(),
  /** 户编号 as the town's books number households; unique within the town when given. */
  code: householdCode.optional(),
  /** Door: unit and room, e.g. 6单元503室. */
  door: text(FIELD_MAX.door),
});
export type NewHousehold = z.infer<typeof newHouseholdSchema>;

const floatingObject = (arrival: z.ZodType<string>, line: (max: number) => z.ZodType<string>) =>
  z
    .strictObject({
      arrivalDate: arrival,
      origin: line(64).optional(),
      reason: line(64).optional(),
      permitNo: line(32).optional(),
      expectedDeparture: isoDay.optional(),
      /** The landlord or host household (房东户); its grid comes with it, since households are kept per grid. */
      landlordHouseholdId: entityIdSchema.optional(),
      landlordGridId: entityIdSchema.optional(),
    })
    .refine((f) => (f.landlordHouseholdId === undefined) === (f.landlordGridId === undefined), {
      message: 'The landlord household and its grid go together.',
      path: ['landlordHouseholdId'],
    });

/** Floating-population details (流动人口) as staff enter them: arrival is required, and not in the future. */
export const floatingSchema = floatingObject(arrivalDay, text);

/**
 * The floating details as responses describe them: the shape of `floatingSchema` without its entry
 * rules, so a record kept before a rule tightened still reads back.
 */
export const floatingViewSchema = floatingObject(isoDay, (max) => z.string().trim().min(1).max(max));

/**
 * A person as staff enter one. The ID number and phone arrive in clear over TLS and are checked,
 * encrypted and hashed before anything is stored; responses only ever carry them masked.
 */
export const newPersonSchema = z.strictObject({
  name: personName,
  gender: z.enum(GENDERS),
  ethnicity: text(FIELD_MAX.ethnicity).optional(),
  idNumber: z.string().max(40),
  phone: z.string().max(40).optional(),
  relation: text(FIELD_MAX.relation),
  residenceType: residenceTypeSchema,
  tags: z.array(tagId).max(10).default([]),
  keyTags: z.array(tagId).max(10).default([]),
  floating: floatingSchema.optional(),
  note: note.optional(),
});
export type NewPerson = z.infer<typeof newPersonSchema>;

export const personChangeSchema = z.strictObject({
  version,
  name: personName.optional(),
  phone: z.string().max(40).nullable().optional(),
  relation: text(FIELD_MAX.relation).optional(),
  ethnicity: text(FIELD_MAX.ethnicity).optional(),
  residenceType: residenceTypeSchema.optional(),
  tags: z.array(tagId).max(10).optional(),
  keyTags: z.array(tagId).max(10).optional(),
  floating: floatingSchema.nullable().optional(),
  note: note.nullable().optional(),
});

/** Moves are events on the person, never overwrites: arrival, departure, within the town, to another grid. */
export const moveSchema = z
  .strictObject({
    version,
    kind: z.enum(MOVE_KINDS),
    on: isoDay,
    /** For `to_household`: the household the person moves into (possibly in another grid). */
    toGridId: entityIdSchema.optional(),
    toHouseholdId: entityIdSchema.optional(),
    origin: text(64).optional(),
    note: note.optional(),
  })
  // An arrival becomes the floating details' arrival date, which the book import refuses in the future.
  .refine((m) => m.kind !== 'arrival' || arrivalDateAllowed(m.on), { message: 'The arrival date is in the future.', path: ['on'] });

export const closeSchema = z.strictObject({
  version,
  reason: z.enum(CLOSE_REASONS),
  on: isoDay,
  note: note.optional(),
});

/** Correcting a household's address: courtyard (null: none), 户编号 (null: none) and door. */
export const householdChangeSchema = z.strictObject({
  version,
  courtyardId: entityIdSchema.nullable().optional(),
  code: householdCode.nullable().optional(),
  door: text(FIELD_MAX.door).optional(),
});
export type HouseholdChange = z.infer<typeof householdChangeSchema>;

/** Closing a household: only once nobody lives in it any more; the record stays, marked closed. */
export const householdCloseSchema = z.strictObject({
  version,
  reason: z.enum(HOUSEHOLD_CLOSE_REASONS),
  on: isoDay,
  note: note.optional(),
});
export type HouseholdClose = z.infer<typeof householdCloseSchema>;

export const revealSchema = z.strictObject({ field: z.enum(['idNumber', 'phone']), reason: z.string().trim().min(4).max(200) });

/** Finding people: exactly one criterion; ID numbers and names go in the body, never in a URL. */
export const peopleSearchSchema = z.union([
  z.strictObject({ by: z.literal('idNumber'), idNumber: z.string().min(1).max(40) }),
  z.strictObject({
    by: z.literal('name'),
    prefix: text(32),
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
  }),
  z.strictObject({
    by: z.literal('tag'),
    tag: tagId,
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
  }),
  z.strictObject({
    by: z.literal('residenceType'),
    residenceType: residenceTypeSchema,
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
  }),
]);

export type Floating = z.infer<typeof floatingSchema>;
export type RevealField = z.infer<typeof revealSchema>['field'];
/** A search as the caller writes it (limit and cursor may be left out). */
export type PeopleQuery = z.input<typeof peopleSearchSchema>;
export type SearchBy = PeopleQuery['by'];
export type PersonChange = z.input<typeof personChangeSchema>;
export type Move = z.input<typeof moveSchema>;
export type PersonClose = z.input<typeof closeSchema>;
