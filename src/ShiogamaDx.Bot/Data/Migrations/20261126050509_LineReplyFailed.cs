using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class LineReplyFailed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ReplyFailed",
                table: "LineInbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Events waiting when this version is deployed were left by code that pushed whenever a reply's outcome
            // was not a success. Without this, the new code would ask a refused reply's token again, read LINE's
            // "Invalid reply token" as "it arrived", and the person would get no answer: they keep being pushed.
            migrationBuilder.Sql("""UPDATE "LineInbox" SET "ReplyFailed" = 1 WHERE "ReplyTokenUsed" = 1 AND "Status" = 0 AND "DeliveredBatches" = 0""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReplyFailed",
                table: "LineInbox");
        }
    }
}
