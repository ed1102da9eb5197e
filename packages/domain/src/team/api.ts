import { count, day, isoTime, line, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema, usernameSchema } from '../ids';
import { OVERRIDABLE_STEPS, TEAM_STAGES, TEAM_STEPS } from './stages';

/*
 * The team (协管员队伍): a coordinator's record as the steps of recruitment build it, the body of each
 * step, and what the API answers with. The rules a step obeys are in ./rules.
 */

const ids = (max: number) => z.array(entityIdSchema).check(z.minLength(1), z.maxLength(max));

export const teamStageSchema = z.enum(TEAM_STAGES);
export const teamStepSchema = z.enum(TEAM_STEPS);

/** 公开推荐: a candidate put forward publicly. */
export const recommendSchema = z.strictObject({
  name: line(40),
  communityId: entityIdSchema,
  recommendedBy: line(80),
  on: day,
  /** Votes or signatures the recommendation gathered. */
  votes: count.check(z.maximum(100_000)),
  method: z.enum(['votes', 'signatures']),
  /**
   * The person's ID number and phone, in clear over TLS only: checked by the book's rules (GB 11643,
   * mainland mobile or landline), then kept sealed; answers carry them masked (decision 74).
   */
  idNumber: z.optional(z.string().check(z.maxLength(40))),
  phone: z.optional(z.string().check(z.maxLength(40))),
});
/** 社区考察. */
export const inspectSchema = z.strictObject({ inspector: line(80), on: day, findings: paragraph(2000), passed: z.boolean() });
/** 岗前培训. */
export const trainSchema = z.strictObject({
  on: day,
  courses: z.array(line(80)).check(z.minLength(1), z.maxLength(30)),
  hours: z.number().check(z.minimum(0), z.maximum(1000)),
  examPassed: z.boolean(),
});
/**
 * 上岗: the grids and posts of the appointment and the appointing document. `username` is the person's
 * sign-in (it must start with `<townId>.`); absent, it is `<townId>.<coordinatorId in lower case>`.
 */
export const appointSchema = z.strictObject({
  on: day,
  gridIds: ids(20),
  postIds: ids(7),
  documentNo: line(60),
  username: z.optional(usernameSchema),
});
/** A transfer to other grids (and posts), possibly in another community. */
export const transferSchema = z.strictObject({
  on: day,
  communityId: z.optional(entityIdSchema),
  gridIds: ids(20),
  postIds: ids(7),
  reason: paragraph(500),
});
/** Leaving (any stage before the end) or dismissal (an appointed coordinator). */
export const exitSchema = z.strictObject({ on: day, reason: paragraph(500) });
/** A town admin's waiver of one step, with the reason (audited). */
export const overrideSchema = z.strictObject({ step: z.enum(OVERRIDABLE_STEPS), reason: paragraph(500) });
/** Naming a grid's one responsible coordinator (定人). */
export const nameResponsibleSchema = z.strictObject({ coordinatorId: entityIdSchema });

export type Recommend = z.infer<typeof recommendSchema>;
export type Inspect = z.infer<typeof inspectSchema>;
export type Train = z.infer<typeof trainSchema>;
export type Appoint = z.infer<typeof appointSchema>;
export type Transfer = z.infer<typeof transferSchema>;
export type Exit = z.infer<typeof exitSchema>;
export type Override = z.infer<typeof overrideSchema>;

export const teamMemberSchema = z.object({
  coordinatorId: entityIdSchema,
  name: z.string(),
  communityId: entityIdSchema,
  stage: teamStageSchema,
  /** The ID number and phone, masked (`3305**********1234`, `138****5678`); in full only through a reveal. */
  idNumberMasked: z.optional(z.string()),
  phoneMasked: z.optional(z.string()),
  recommendation: z.object({ recommendedBy: z.string(), on: day, votes: count, method: z.enum(['votes', 'signatures']) }),
  inspection: z.optional(z.object({ inspector: z.string(), on: day, findings: z.string(), passed: z.boolean() })),
  training: z.optional(z.object({ on: day, courses: z.array(z.string()), hours: z.number(), examPassed: z.boolean() })),
  appointment: z.optional(
    z.object({
      on: day,
      gridIds: z.array(entityIdSchema),
      postIds: z.array(entityIdSchema),
      documentNo: z.string(),
      /** The sign-in that follows this record (decision 66). */
      username: z.optional(z.string()),
    }),
  ),
  exit: z.optional(z.object({ kind: z.enum(['left', 'dismissed']), on: day, reason: z.string() })),
  overrides: z.array(z.object({ step: z.enum(OVERRIDABLE_STEPS), reason: z.string(), by: z.string(), at: isoTime })),
  version,
  createdAt: isoTime,
  updatedAt: isoTime,
  /**
   * Only in the answer to an appointment that created the sign-in where the directory hands out a
   * one-time password (the local one; Cognito sends its own): never stored.
   */
  initialCredentials: z.optional(z.object({ username: z.string(), temporaryPassword: z.string() })),
});
export type CoordinatorView = z.infer<typeof teamMemberSchema>;

/** One entry of a coordinator's history: the step, who recorded it and when, and what it carried. */
export const teamEventSchema = z.object({
  eventId: z.string(),
  at: isoTime,
  actor: z.string(),
  kind: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type TeamEventView = z.infer<typeof teamEventSchema>;

export const teamMemberDetailSchema = z.object({ coordinator: teamMemberSchema, history: z.array(teamEventSchema) });

/** A row of the team list: enough to show the pipeline stage. */
export const teamRowSchema = z.object({
  coordinatorId: entityIdSchema,
  name: z.string(),
  communityId: entityIdSchema,
  stage: teamStageSchema,
  updatedAt: isoTime,
});

/** The coverage matrix of one community: grids × posts, who holds what, and the gaps. */
export const coverageSchema = z.object({
  communityId: entityIdSchema,
  posts: z.array(z.object({ id: z.string(), label: z.object({ zh: z.string(), en: z.string() }) })),
  grids: z.array(
    z.object({
      gridId: entityIdSchema,
      name: z.string(),
      responsible: z.nullable(z.object({ coordinatorId: entityIdSchema, name: z.string(), since: isoTime })),
      cells: z.record(z.string(), z.array(z.object({ coordinatorId: entityIdSchema, name: z.string() }))),
    }),
  ),
  gridsWithoutResponsible: z.array(entityIdSchema),
  postsUnheld: z.array(z.string()),
});
export type CoverageView = z.infer<typeof coverageSchema>;

// Contacts (issue 12 items 1 and 6): a coordinator's phone corrected, and who to call in a community.

/** Correcting (or adding) a coordinator's phone, at the record's version. */
export const teamPhoneSchema = z.strictObject({ phone: z.string().check(z.minLength(1), z.maxLength(40)), version });
export type TeamPhone = z.infer<typeof teamPhoneSchema>;

const contactSchema = z.object({
  coordinatorId: entityIdSchema,
  name: z.string(),
  postIds: z.array(z.string()),
  /** In full: the directory is for calling, and only staff of the same town read it (decision 75). */
  phone: z.optional(z.string()),
});
export type ContactView = z.infer<typeof contactSchema>;

/**
 * Who to call in a community: per grid that has someone, its responsible coordinator and the post
 * holders appointed to it. Grid names and post labels come from the town's org chart and posts.
 */
export const contactsSchema = z.object({
  communityId: entityIdSchema,
  grids: z.array(
    z.object({
      gridId: entityIdSchema,
      responsible: z.nullable(contactSchema),
      holders: z.array(contactSchema),
    }),
  ),
});
export type ContactsView = z.infer<typeof contactsSchema>;
