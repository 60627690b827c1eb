-- AlterTable
ALTER TABLE "exchange_policies" ADD COLUMN     "subject_audiences" TEXT[] DEFAULT ARRAY[]::TEXT[];

