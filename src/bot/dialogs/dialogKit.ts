/*
 * The parts of botbuilder-dialogs the bot uses, imported from their own modules. The package's
 * index also loads the prompts and, with them, @microsoft/recognizers-text-suite (number, date
 * and choice recognizers for every culture), which this bot never uses: importing through the
 * index costs about 40 MB of memory and a few seconds at start. Import dialog classes from here.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogReason, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export type { DialogInstance, DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
