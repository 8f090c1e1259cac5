import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { secureCookies } from '../env';
import { clientAddress } from '../http/client-address';
import { describeError, log } from '../log';
import { authSecret } from '../secrets';
import { attemptSignIn } from './sign-in';

const IDLE_SECONDS = 30 * 60;

export class SignInRefused extends CredentialsSignin {
  constructor(code: 'invalid' | 'locked' | 'rate_limited') {
    super();
    this.code = code;
  }
}

const Credentials_ = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  code: z.string().max(64).optional(),
});


// Lazy: the secret is read (or generated beside the embedded database) at the first request, not at build.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const secure = secureCookies();
  return {
    secret: authSecret(),
    trustHost: true,
    useSecureCookies: secure,
    // JWT lifetime is the idle timeout: proxy.ts re-issues the cookie on each request.
    // The absolute limit (12 h) and the session version are checked in lib/actor.ts.
    session: { strategy: 'jwt', maxAge: IDLE_SECONDS },
    jwt: { maxAge: IDLE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    cookies: {
      sessionToken: {
        name: secure ? '__Host-tl.session' : 'tl.session',
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
      },
    },
    logger: {
      error(error: Error) {
        if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
        log.error('sign-in machinery error', { err: describeError(error) });
      },
      warn() {},
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {}, code: {} },
        async authorize(raw, request) {
          const parsed = Credentials_.safeParse(raw);
          if (!parsed.success) throw new SignInRefused('invalid');
          const result = await attemptSignIn({ ...parsed.data, ip: clientAddress(request.headers) });
          if (!result.ok) throw new SignInRefused(result.reason);
          return { id: result.userId, sessionVersion: result.sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion: number }).sessionVersion;
          token.authTime = Math.floor(Date.now() / 1000);
          token.sid = crypto.randomUUID();
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: token.uid, sv: token.sv, authTime: token.authTime, sid: token.sid };
      },
    },
  };
});
