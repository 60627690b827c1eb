-- AlterTable
ALTER TABLE "clients" ADD COLUMN     "admin" BOOLEAN NOT NULL DEFAULT false;

