import { z } from 'zod';

/** Request and response shapes of the label-group routes (see releases.ts for how they are used). */

export const managerBodySchema = z.object({ isManager: z.boolean() }).strict();
export type ManagerBody = z.infer<typeof managerBodySchema>;

/** `GET /admin/users` items; also the answer of `PUT /admin/users/:id/manager`. */
export const labelUserSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  groups: z.array(z.string()),
});
export type LabelUser = z.infer<typeof labelUserSchema>;

export const labelUserListSchema = z.object({ users: z.array(labelUserSchema) });
export type LabelUserList = z.infer<typeof labelUserListSchema>;
