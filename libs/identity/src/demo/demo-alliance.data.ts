import { MembershipRole } from '../entities/membership-role.enum';

/**
 * The demo alliance mirrors the founding California one: 12 anchors, each anchoring a regional
 * coalition, 27 member groups, 10 counties. The organizations are made up.
 */
export const DEMO_ALLIANCE = { slug: 'california', name: 'California Alliance for Civic Power' } as const;

export const DEMO_COUNTIES = [
  'Los Angeles',
  'San Diego',
  'Orange',
  'Riverside',
  'San Bernardino',
  'Alameda',
  'Sacramento',
  'Fresno',
  'Kern',
  'Santa Clara',
] as const;

interface DemoAnchor {
  readonly slug: string;
  readonly name: string;
  readonly counties: readonly (typeof DEMO_COUNTIES)[number][];
  readonly members: readonly string[];
}

export const DEMO_ANCHORS: readonly DemoAnchor[] = [
  {
    slug: 'la-east-coalition',
    name: 'East Los Angeles Community Coalition',
    counties: ['Los Angeles'],
    members: ['Boyle Heights Tenants Union', 'East LA Youth Voice', 'Eastside Service Workers'],
  },
  {
    slug: 'la-south-coalition',
    name: 'South Los Angeles Organizing Network',
    counties: ['Los Angeles'],
    members: ['Crenshaw Faith Table', 'South LA Parents Alliance', 'Watts Health Promoters'],
  },
  {
    slug: 'la-valley-coalition',
    name: 'San Fernando Valley Civic Partners',
    counties: ['Los Angeles'],
    members: ['Pacoima Neighbors United', 'Valley Home Care Workers', 'North Hollywood Youth Vote'],
  },
  {
    slug: 'san-diego-coalition',
    name: 'San Diego Regional Voice',
    counties: ['San Diego'],
    members: ['City Heights Residents Council', 'Border Region Workers Center'],
  },
  { slug: 'orange-coalition', name: 'Orange County Civic Table', counties: ['Orange'], members: ['Santa Ana Families Forward', 'Anaheim Hotel Workers'] },
  {
    slug: 'inland-riverside-coalition',
    name: 'Riverside Inland Alliance',
    counties: ['Riverside'],
    members: ['Coachella Valley Farmworkers', 'Moreno Valley Parents Network'],
  },
  {
    slug: 'inland-san-bernardino-coalition',
    name: 'San Bernardino Community Power',
    counties: ['San Bernardino'],
    members: ['Warehouse Workers Resource Center', 'Fontana Clean Air Neighbors'],
  },
  {
    slug: 'east-bay-coalition',
    name: 'East Bay Alliance for Democracy',
    counties: ['Alameda'],
    members: ['Oakland Renters Council', 'Fremont Immigrant Families'],
  },
  {
    slug: 'capital-coalition',
    name: 'Capital Region Civic Network',
    counties: ['Sacramento'],
    members: ['Sacramento Valley Organizing', 'Del Paso Heights Neighbors'],
  },
  {
    slug: 'central-valley-fresno-coalition',
    name: 'Fresno Central Valley Partners',
    counties: ['Fresno'],
    members: ['Fresno Youth Organizers', 'West Fresno Health Collaborative'],
  },
  {
    slug: 'central-valley-kern-coalition',
    name: 'Kern Community Voice',
    counties: ['Kern'],
    members: ['Bakersfield Dreamers Network', 'Arvin Lamont Farmworker Families'],
  },
  {
    slug: 'silicon-valley-coalition',
    name: 'Silicon Valley Community Alliance',
    counties: ['Santa Clara'],
    members: ['San Jose Working Families', 'East Side Union Parents'],
  },
];

export interface DemoLogin {
  readonly email: string;
  readonly displayName: string;
  readonly role: MembershipRole;
  /** Where the role is held: the alliance itself, the first anchor, or that anchor's first member. */
  readonly scope: 'alliance' | 'first-anchor' | 'first-member';
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { email: 'admin@demo.crossroads.test', displayName: 'Alex Admin', role: MembershipRole.AllianceAdmin, scope: 'alliance' },
  { email: 'anchor@demo.crossroads.test', displayName: 'Ana Anchor', role: MembershipRole.AnchorLead, scope: 'first-anchor' },
  { email: 'lead@demo.crossroads.test', displayName: 'Omar Organizer', role: MembershipRole.OrgLead, scope: 'first-member' },
  { email: 'data@demo.crossroads.test', displayName: 'Dana Data', role: MembershipRole.DataLead, scope: 'alliance' },
  { email: 'volunteer@demo.crossroads.test', displayName: 'Val Volunteer', role: MembershipRole.Volunteer, scope: 'first-member' },
];
