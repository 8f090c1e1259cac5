import { z } from 'zod';
import { ROLES } from '../access';

// Response and request shapes of the HTTP API: used by the routes and by the OpenAPI document.
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Health = z
  .object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() })
  .meta({ id: 'Health' });

export const Me = z
  .object({
    id: z.uuid(),
    email: z.email(),
    role: z.enum(ROLES),
    organisation: z.object({ slug: z.string(), name: z.string() }),
  })
  .meta({ id: 'Me' });
