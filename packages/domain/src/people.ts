import * as z from 'zod';
import { entityIdSchema } from './ids';
import { CLOSE_REASONS, GENDERS, HOUSEHOLD_CLOSE_REASONS, MOVE_KINDS, RESIDENCE_TYPES } from './rules';

export const residenceTypeSchema = z.enum(RESIDENCE_TYPES);

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDay = z.iso.date();
const tagId = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/);
const version = z.number().int().min(1);

/**
 * Characters no person's name holds (digits and symbols, after full-width forms are folded): the one
 * rule for a name on every entry path, the API and the book import alike. It also keeps a name such as
 * `=1+1` out of exports, where a spreadsheet would read it as a formula.
 */
export const PERSON_NAME_FORBIDDEN = /[0-9<>@#$%^&*=+{}[\]\\|~`_]/;

/** Whether a person's name is free of the characters `PERSON_NAME_FORBIDDEN` lists (full-width forms included). */
export function personNameAllowed(name: string): boolean {
  return !PERSON_NAME_FORBIDDEN.test(name.normalize('NFKC'));
}

const personName = text(32).refine(personNameAllowed, { message: 'A name may not contain digits or symbols.' });

/** The address part of a household: community and grid come from the grid; courtyard and door are its own. */
export const newHouseholdSchema = z.strictObject({
  courtyardId: entityIdSchema.optional(),
  /** 户编号 as the town's books number households; unique within the town when given. */
  code: z.string().trim().min(1).max(32).optional(),
  /** Door: unit and room, e.g. 6单元503室. */
  door: text(64),
});
export type NewHousehold = z.infer<typeof newHouseholdSchema>;

/** Floating-population details (流动人口): arrival is required for a floating person. */
export const floatingSchema = z
  .strictObject({
    arrivalDate: isoDay,
    origin: text(64).optional(),
    reason: text(64).optional(),
    permitNo: text(32).optional(),
    expectedDeparture: isoDay.optional(),
    /** The landlord or host household (房东户); its grid comes with it, since households are kept per grid. */
    landlordHouseholdId: entityIdSchema.optional(),
    landlordGridId: entityIdSchema.optional(),
  })
  .refine((f) => (f.landlordHouseholdId === undefined) === (f.landlordGridId === undefined), {
    message: 'The landlord household and its grid go together.',
    path: ['landlordHouseholdId'],
  });

/**
 * A person as staff enter one. The ID number and phone arrive in clear over TLS and are checked,
 * encrypted and hashed before anything is stored; responses only ever carry them masked.
 */
export const newPersonSchema = z.strictObject({
  name: personName,
  gender: z.enum(GENDERS),
  ethnicity: text(16).optional(),
  idNumber: z.string().max(40),
  phone: z.string().max(40).optional(),
  relation: text(16),
  residenceType: residenceTypeSchema,
  tags: z.array(tagId).max(10).default([]),
  keyTags: z.array(tagId).max(10).default([]),
  floating: floatingSchema.optional(),
  note: z.string().trim().max(200).optional(),
});
export type NewPerson = z.infer<typeof newPersonSchema>;

export const personChangeSchema = z.strictObject({
  version,
  name: personName.optional(),
  phone: z.string().max(40).nullable().optional(),
  relation: text(16).optional(),
  ethnicity: text(16).optional(),
  residenceType: residenceTypeSchema.optional(),
  tags: z.array(tagId).max(10).optional(),
  keyTags: z.array(tagId).max(10).optional(),
  floating: floatingSchema.nullable().optional(),
  note: z.string().trim().max(200).nullable().optional(),
});

/** Moves are events on the person, never overwrites: arrival, departure, within the town, to another grid. */
export const moveSchema = z.strictObject({
  version,
  kind: z.enum(MOVE_KINDS),
  on: isoDay,
  /** For `to_household`: the household the person moves into (possibly in another grid). */
  toGridId: entityIdSchema.optional(),
  toHouseholdId: entityIdSchema.optional(),
  origin: text(64).optional(),
  note: z.string().trim().max(200).optional(),
});

export const closeSchema = z.strictObject({
  version,
  reason: z.enum(CLOSE_REASONS),
  on: isoDay,
  note: z.string().trim().max(200).optional(),
});

/** Correcting a household's address: courtyard (null: none), 户编号 (null: none) and door. */
export const householdChangeSchema = z.strictObject({
  version,
  courtyardId: entityIdSchema.nullable().optional(),
  code: z.string().trim().min(1).max(32).nullable().optional(),
  door: text(64).optional(),
});
export type HouseholdChange = z.infer<typeof householdChangeSchema>;

/** Closing a household: only once nobody lives in it any more; the record stays, marked closed. */
export const householdCloseSchema = z.strictObject({
  version,
  reason: z.enum(HOUSEHOLD_CLOSE_REASONS),
  on: isoDay,
  note: z.string().trim().max(200).optional(),
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
