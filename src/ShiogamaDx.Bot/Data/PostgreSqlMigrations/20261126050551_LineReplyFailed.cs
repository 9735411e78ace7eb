using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
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
                type: "boolean",
                nullable: false,
                defaultValue: false);
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
