import { STAGES } from '../../src/domain/journey';
import { STAGE_ROUTES } from '../../src/bot/dialogs/stageRoutes';
import { createDialogRig } from '../helpers/dialogRig';

describe('the root routes by the stage table', () => {
  it('every stage has a row, and every step a row names is a dialog of the root', async () => {
    const rig = await createDialogRig('nb-NO');
    try {
      expect(Object.keys(STAGE_ROUTES).sort()).toEqual([...STAGES].sort());
      // the whole journey has its steps in the chat now
      for (const route of Object.values(STAGE_ROUTES)) {
        expect('step' in route).toBe(true);
        if ('step' in route) expect(rig.runtime.root.findDialog(route.step)).toBeDefined();
      }
    } finally {
      await rig.close();
    }
  });
});
