/** As the voter table's check constraint says (migration 1795400000003). */
export const MAX_SOURCE_VOTER_ID_LENGTH = 64;
