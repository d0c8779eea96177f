import { createHmac } from 'node:crypto';
import { startApp, type Harness } from '../../helpers/appHarness';
import type { CourseCompletion } from '../../../src/services/lms/learnUponWebhook';

const NA_SECRET = 'na-webhook-signing-secret-3b9f0c2e';
const GLOBAL_SECRET = 'global-webhook-signing-secret-7d1a4e6f';
const EMAIL = 'ola.hansen@lade-test.no';

/** Signs as LearnUpon v2 does: hex HMAC-SHA256 of the raw body with the portal's secret (written here independently of the app). */
const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

function completionBody(courseId: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    data: [
      {
        enrollmentId: 55501,
        courseId,
        courseName: 'Installing CPF50',
        courseReferenceCode: 'CPF50-INST',
        user: { userId: 662, email: EMAIL, username: null },
        enrollmentStatus: 'passed',
        percentage: 92,
        dateCompleted: '2026-11-24T08:15:00Z',
        ...overrides,
      },
    ],
  });
}

describe('POST /webhooks/learnupon (webhooks v2) over HTTP against the app', () => {
  let h: Harness;
  const received: CourseCompletion[] = [];
  let failNext = false;

  beforeAll(async () => {
    h = await startApp(
      {
        LEARNUPON_NA_PORTAL_URL: 'https://cpinstaller-test.learnupon.com',
        LEARNUPON_NA_API_KEY: 'key-na',
        LEARNUPON_NA_API_SECRET: 'secret-na',
        LEARNUPON_NA_WEBHOOK_SECRET: NA_SECRET,
        LEARNUPON_GLOBAL_PORTAL_URL: 'https://cpglobal-test.learnupon.com',
        LEARNUPON_GLOBAL_API_KEY: 'key-global',
        LEARNUPON_GLOBAL_API_SECRET: 'secret-global',
        LEARNUPON_GLOBAL_WEBHOOK_SECRET: GLOBAL_SECRET,
      },
      undefined,
      {
        onLearnUponCourseCompleted: async (completion) => {
          if (failNext) {
            failNext = false;
            throw new Error('queue unavailable');
          }
          received.push(completion);
        },
      },
    );
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => {
    received.length = 0;
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${h.url}/webhooks/learnupon`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('accepts a signed course_completion and hands the completion on with the region whose secret signed it', async () => {
    const body = completionBody(101);
    const res = await post(body, { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': 'delivery-valid-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted', completions: 1 });
    expect(received).toEqual([{ region: 'na', email: EMAIL, lmsUserId: '662', courseId: '101', completedAt: '2026-11-24T08:15:00.000Z' }]);

    const globalBody = completionBody(201);
    const globalRes = await post(globalBody, { 'X-Webhook-Signature': sign(globalBody, GLOBAL_SECRET), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': 'delivery-valid-2' });
    expect(globalRes.status).toBe(200);
    expect(received[1]).toMatchObject({ region: 'global', courseId: '201' });
  });

  it.each([
    ['no signature', (): Record<string, string> => ({})],
    ['a signature made with another secret', (body: string) => ({ 'X-Webhook-Signature': sign(body, 'not-the-portal-secret') })],
    ['a signature of another body', () => ({ 'X-Webhook-Signature': sign(completionBody(999), NA_SECRET) })],
    ['garbage in the signature', () => ({ 'X-Webhook-Signature': 'zz' })],
  ])('refuses a forged delivery with 401 (%s) and hands nothing on', async (_name, headersFor) => {
    const body = completionBody(102);
    const res = await post(body, { 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': `forged-${_name}`, ...headersFor(body) });
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
  });

  it('refuses a replayed delivery (same delivery id) and hands it on once only', async () => {
    const body = completionBody(103);
    const headers = { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': 'delivery-replay-1' };
    expect((await post(body, headers)).status).toBe(200);
    const replay = await post(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect(received).toHaveLength(1);
    expect(h.logs.text).toContain('delivered before (replay)');
  });

  it('refuses a replayed body under a new delivery id (the id header is not signed)', async () => {
    const body = completionBody(106);
    const signed = { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'course_completion' };
    expect((await post(body, { ...signed, 'X-Webhook-Id': 'delivery-original' })).status).toBe(200);
    const replay = await post(body, { ...signed, 'X-Webhook-Id': 'delivery-made-up-by-a-replayer' });
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect(received).toHaveLength(1);
  });

  it('refuses a replayed body without a delivery id', async () => {
    const body = completionBody(104);
    const headers = { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'course_completion' };
    expect(await (await post(body, headers)).json()).toMatchObject({ status: 'accepted' });
    expect(await (await post(body, headers)).json()).toEqual({ status: 'duplicate' });
    expect(received).toHaveLength(1);
  });

  it('acknowledges other webhook types and ignores them', async () => {
    const body = JSON.stringify({ data: [{ moduleId: 7, courseId: 101, user: { userId: 662, email: EMAIL } }] });
    const res = await post(body, { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'module_complete', 'X-Webhook-Id': 'delivery-module-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ignored' });
    expect(received).toEqual([]);
  });

  it('answers 503 when the completion cannot be handed on, and takes the same delivery again later', async () => {
    const body = completionBody(105);
    const headers = { 'X-Webhook-Signature': sign(body, NA_SECRET), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': 'delivery-retry-1' };
    failNext = true;
    expect((await post(body, headers)).status).toBe(503);
    expect(received).toEqual([]);
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('logs neither the secrets nor the learner address', () => {
    for (const secret of [NA_SECRET, GLOBAL_SECRET, EMAIL, 'secret-na', 'secret-global']) expect(h.logs.text).not.toContain(secret);
  });
});

describe('POST /webhooks/learnupon without webhook secrets', () => {
  it('is not a route at all', async () => {
    const h = await startApp({});
    try {
      const res = await fetch(`${h.url}/webhooks/learnupon`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});
