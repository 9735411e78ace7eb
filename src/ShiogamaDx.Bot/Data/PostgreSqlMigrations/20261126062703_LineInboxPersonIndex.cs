using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class LineInboxPersonIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LineInbox_UserKey",
                table: "LineInbox");

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_UserKey_Status_Timestamp",
                table: "LineInbox",
                columns: new[] { "UserKey", "Status", "Timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LineInbox_UserKey_Status_Timestamp",
                table: "LineInbox");

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_UserKey",
                table: "LineInbox",
                column: "UserKey");
        }
    }
}
