import type { ActionCode, Storefront } from './lead.js';

/** i18n keys for a lead's call to action and storefront. */
export function actionLabelKey(action: ActionCode) {
  return (
    {
      PLT: 'action.contactMe',
      INS: 'action.getItNow',
      StartTestDrive: 'action.testDrive',
      Create: 'action.create',
      DNC: 'action.doNotContact',
      Unknown: 'action.unknown',
    } as const
  )[action];
}

export function storefrontLabelKey(storefront: Storefront) {
  return (
    {
      AppSource: 'storefront.appSource',
      AzureMarketplace: 'storefront.azureMarketplace',
      AzurePortal: 'storefront.azurePortal',
      TestDrive: 'storefront.testDrive',
      Unknown: 'storefront.unknown',
    } as const
  )[storefront];
}
