import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../src/logger';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { LearnUponWebhookReceiver, signLearnUponBody, type CourseCompletion } from '../../../src/services/lms/learnUponWebhook';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../../helpers/backends';

const SECRET = 'replay-test-signing-secret';

describe.each(AVAILABLE_BACKENDS)('LearnUpon webhook replays on $name, shared by two instances', ({ url }) => {
  it('hands one delivery on exactly once when it reaches two instances at the same moment', async () => {
    const storeA = await openDocumentStore(url);
    const storeB = await openDocumentStore(url);
    try {
      const handed: CourseCompletion[] = [];
      const receiver = (store: typeof storeA) =>
        new LearnUponWebhookReceiver({ secrets: { na: SECRET }, store, logger: createLogger({ level: 'silent' }), onCourseCompleted: async (c) => void handed.push(c) });
      const body = JSON.stringify({ data: [{ courseId: 101, enrollmentId: randomUUID(), user: { userId: 1, email: 'a@b.no' }, dateCompleted: '2026-11-24T08:00:00Z' }] });
      const delivery = { rawBody: body, signature: signLearnUponBody(body, SECRET), type: 'course_completion' };
      const answers = await Promise.all([receiver(storeA).receive(delivery), receiver(storeB).receive(delivery), receiver(storeA).receive(delivery)]);
      expect(answers.map((a) => a.body.status).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
      expect(handed).toHaveLength(1);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});

if (SKIPPED_BACKENDS.length > 0) {
  it.skip(`replays on ${SKIPPED_BACKENDS.map((b) => b.name).join(', ')} (server not reachable)`, () => undefined);
}
