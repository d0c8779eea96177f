import { createDialogRig } from '../helpers/dialogRig';
jest.setTimeout(120000);
it('plays', async () => {
  const rig = await createDialogRig('nb-NO');
  for (const line of ['hei', 'banan', 'ja', 'hjelp', 'status', 'feil', '1', 'hjelp', 'status', 'ikke en epost', 'a@example.com', 'ja', 'hjelp', 'status', 'banan'])
    console.log(JSON.stringify(line), '=>', JSON.stringify((await rig.say(line)).map((r) => r.split('\n')[0]!.slice(0, 90))));
  await rig.close();
});
