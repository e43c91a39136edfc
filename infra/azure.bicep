// Lead Assistant on Azure, in the Microsoft 365 Agents Toolkit's layout (templates/vsc/ts/default-bot):
// `atk provision` deploys this file with azure.parameters.json, `atk deploy` zips the built app onto
// the web app. What it creates, and why:
// - a user-assigned managed identity: the bot's identity (MicrosoftAppType=UserAssignedMSI, no
//   secret to store or rotate) and, through AZURE_CLIENT_ID, the identity the Table store signs in with;
// - a Linux App Service plan and web app on Node 24, serving /api/messages, the lead webhook, the tab;
// - a storage account with the store's tables and a Storage Table Data Contributor role for the
//   identity (STORE=azure-table), or nothing of the kind and the embedded store under /home (lowdb);
// - the Azure Bot with its Teams channel (botRegistration/azurebot.bicep).
// App setting names are the variables src/config.ts reads (test/infra/azure-bicep.spec.ts checks it).

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU. B1 or above: Always On keeps the background work (posting, reminders) running.')
param webAppSKU string = 'B1'

@maxLength(42)
param botDisplayName string

@allowed([
  'azure-table'
  'lowdb'
])
@description('azure-table: Azure Table Storage, any number of instances. lowdb: files under /home, exactly one instance.')
param store string = 'azure-table'

@description('Start of every table name (letters and digits), so several deployments can share an account.')
param tablePrefix string = 'leadassistant'

@secure()
@minLength(16)
@description('The secret Partner Center presents: https://<app>/api/leads?code=<secret>.')
param leadsWebhookSecret string

@description('Managers: Entra object ids or UPNs, comma separated.')
param managers string = ''

@allowed([
  'en'
  'pt-PT'
])
param defaultLocale string = 'en'

@description('IANA time zone for times on channel cards, e.g. Europe/Lisbon.')
param timeZone string = 'UTC'

@description('Lead events: https URLs, comma separated. Empty: none.')
param eventsUrl string = ''

@secure()
@description('Signing secret for lead events (whsec_…); required with eventsUrl.')
param eventsSecret string = ''

@description('Entra app (client) id of the tab\'s single sign-on (docs/teams-app.md). Empty: the tab refuses sign-ins.')
param tabAppId string = ''

param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
param storageAccountName string = take('${toLower(replace(resourceBaseName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
param location string = resourceGroup().location

var useTables = store == 'azure-table'
// The tables src/store/azure/keys.ts tableNames() makes of the prefix.
var tableSuffixes = [
  'leads'
  'index'
  'settings'
  'sends'
]
// Built-in role "Storage Table Data Contributor": read, write and delete entities and tables.
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// The web app's default host name, known before it exists (the app's own settings cannot refer to it).
var botDomain = '${webAppName}.azurewebsites.net'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

// Compute resources for your Web App. One instance: the embedded store allows no more (scale out
// only with store = azure-table).
resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
    capacity: 1
  }
  properties: {
    reserved: true
  }
}

// Web App that hosts your bot
resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      // The build the deploy step zips (dist/), run as npm start would, without building on start.
      appCommandLine: 'node --max-semi-space-size=16 dist/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: identity.properties.tenantId
        }
        {
          name: 'AZURE_CLIENT_ID' // read by @azure/identity: the Table store signs in as this identity
          value: identity.properties.clientId
        }
        {
          name: 'BOT_DOMAIN'
          value: botDomain
        }
        {
          name: 'LEADS_WEBHOOK_SECRET'
          value: leadsWebhookSecret
        }
        {
          name: 'STORE'
          value: store
        }
        {
          name: 'AZURE_STORAGE_ACCOUNT_URL'
          value: useTables ? 'https://${storageAccountName}.table.${environment().suffixes.storage}' : ''
        }
        {
          name: 'AZURE_TABLE_PREFIX'
          value: tablePrefix
        }
        {
          name: 'DATA_DIR' // /home survives restarts and deploys; the rest of the file system does not
          value: '/home/data/lead-assistant'
        }
        {
          name: 'MANAGERS'
          value: managers
        }
        {
          name: 'DEFAULT_LOCALE'
          value: defaultLocale
        }
        {
          name: 'TIME_ZONE'
          value: timeZone
        }
        {
          name: 'EVENTS_URL'
          value: eventsUrl
        }
        {
          name: 'EVENTS_SECRET'
          value: eventsSecret
        }
        {
          name: 'TAB_APP_ID'
          value: tabAppId
        }
        {
          name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE' // keep /home mounted and persistent
          value: 'true'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT' // the zip holds the built app and its production modules
          value: 'false'
        }
      ]
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

// Where leads are kept when store = azure-table: signed in with the identity only (no keys).
resource storageAccount 'Microsoft.Storage/storageAccounts@2023-01-01' = if (useTables) {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-01-01' = if (useTables) {
  parent: storageAccount
  name: 'default'
}

// The store would make them at start too; made here so they exist before the first instance.
resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-01-01' = [
  for suffix in tableSuffixes: if (useTables) {
    parent: tableService
    name: '${tablePrefix}${suffix}'
  }
]

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (useTables) {
  name: guid(storageAccount.id, identity.id, tableDataContributorRoleId)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Register your web service as a bot with the Bot Framework
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// The output will be persisted in .env.{envName}. Visit https://aka.ms/teamsfx-actions/arm-deploy for more details.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
