// The files under app/ that start with 'use server': every export is a public POST endpoint.
// route-matrix.int.test.ts checks this list against the files; server-actions.int.test.ts calls them.
export const SERVER_ACTION_FILES = [
  'app/(workspace)/account/actions.ts',
  'app/(workspace)/admin/actions.ts',
  'app/(workspace)/publications/actions.ts',
  'app/(workspace)/sources/actions.ts',
  'app/(workspace)/testimonies/[id]/quote-actions.ts',
  'app/(workspace)/testimonies/actions.ts',
  'app/_lib/session-actions.ts',
  'app/sign-in/actions.ts',
];
